package io.jenkins.plugins.haupgrade;

import hudson.Extension;
import hudson.FilePath;
import hudson.Launcher;
import hudson.Util;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import java.io.IOException;
import java.util.Set;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.graph.FlowNode;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * {@code haUpgrade(cluster: 'clusters/lb.yaml', credentialsId: 'ops-ssh')}: upgrades a cluster from the agent the
 * step runs on, pausing for approvals where the plan says, and returns what happened to each node.
 */
public final class HaUpgradeStep extends Step {
    private final String cluster;
    private String strategy;
    private String credentialsId;
    private String knownHostsCredentialsId;
    private String targetVersion;
    private String approvals;
    private String submitter;
    private String onFailure;
    private String timeout;
    private boolean dryRun;
    private boolean resume;
    private boolean returnAtApproval;
    private String approver;

    @DataBoundConstructor
    public HaUpgradeStep(String cluster) {
        this.cluster = cluster;
    }

    public String getCluster() {
        return cluster;
    }

    public String getStrategy() {
        return strategy;
    }

    @DataBoundSetter
    public void setStrategy(String strategy) {
        this.strategy = Util.fixEmptyAndTrim(strategy);
    }

    public String getCredentialsId() {
        return credentialsId;
    }

    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = Util.fixEmptyAndTrim(credentialsId);
    }

    public String getKnownHostsCredentialsId() {
        return knownHostsCredentialsId;
    }

    @DataBoundSetter
    public void setKnownHostsCredentialsId(String knownHostsCredentialsId) {
        this.knownHostsCredentialsId = Util.fixEmptyAndTrim(knownHostsCredentialsId);
    }

    public String getTargetVersion() {
        return targetVersion;
    }

    @DataBoundSetter
    public void setTargetVersion(String targetVersion) {
        this.targetVersion = Util.fixEmptyAndTrim(targetVersion);
    }

    public String getApprovals() {
        return approvals;
    }

    @DataBoundSetter
    public void setApprovals(String approvals) {
        this.approvals = Util.fixEmptyAndTrim(approvals);
    }

    public String getSubmitter() {
        return submitter;
    }

    @DataBoundSetter
    public void setSubmitter(String submitter) {
        this.submitter = Util.fixEmptyAndTrim(submitter);
    }

    public String getOnFailure() {
        return onFailure;
    }

    @DataBoundSetter
    public void setOnFailure(String onFailure) {
        this.onFailure = Util.fixEmptyAndTrim(onFailure);
    }

    public String getTimeout() {
        return timeout;
    }

    @DataBoundSetter
    public void setTimeout(String timeout) {
        this.timeout = Util.fixEmptyAndTrim(timeout);
    }

    public boolean isDryRun() {
        return dryRun;
    }

    @DataBoundSetter
    public void setDryRun(boolean dryRun) {
        this.dryRun = dryRun;
    }

    public boolean isResume() {
        return resume;
    }

    @DataBoundSetter
    public void setResume(boolean resume) {
        this.resume = resume;
    }

    public boolean isReturnAtApproval() {
        return returnAtApproval;
    }

    @DataBoundSetter
    public void setReturnAtApproval(boolean returnAtApproval) {
        this.returnAtApproval = returnAtApproval;
    }

    public String getApprover() {
        return approver;
    }

    @DataBoundSetter
    public void setApprover(String approver) {
        this.approver = Util.fixEmptyAndTrim(approver);
    }

    /** The one mapping into the engine, shared with the freestyle build step. */
    UpgradeSettings settings() {
        return new UpgradeSettings(cluster, strategy, credentialsId, knownHostsCredentialsId, targetVersion, approvals,
                submitter, onFailure, timeout, dryRun, resume);
    }

    @Override
    public StepExecution start(StepContext context) {
        return new HaUpgradeExecution(context, settings(), returnAtApproval, approver);
    }

    @Extension
    @Symbol("haUpgrade")
    public static final class DescriptorImpl extends StepDescriptor {
        @Override
        public String getFunctionName() {
            return "haUpgrade";
        }

        @Override
        public String getDisplayName() {
            return Messages.HaUpgradeStep_displayName();
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class, FilePath.class, Launcher.class, FlowNode.class);
        }

        @POST
        public ListBoxModel doFillCredentialsIdItems(@AncestorInPath Item item, @QueryParameter String credentialsId) {
            return FormChecks.sshCredentials(item, credentialsId);
        }

        @POST
        public FormValidation doCheckCredentialsId(@AncestorInPath Item item, @QueryParameter String value) {
            return FormChecks.checkCredentialsId(item, value);
        }

        @POST
        public ListBoxModel doFillKnownHostsCredentialsIdItems(@AncestorInPath Item item,
                @QueryParameter String knownHostsCredentialsId) {
            return FormChecks.fileCredentials(item, knownHostsCredentialsId);
        }

        @POST
        public ListBoxModel doFillStrategyItems() {
            return FormChecks.strategies();
        }

        @POST
        public ListBoxModel doFillOnFailureItems() {
            return FormChecks.failureActions();
        }

        @POST
        public FormValidation doCheckCluster(@AncestorInPath Item item, @QueryParameter String value)
                throws IOException, InterruptedException {
            return FormChecks.checkCluster(item, value);
        }

        @POST
        public FormValidation doCheckApprovals(@AncestorInPath Item item, @QueryParameter String value) {
            return mayCheck(item) ? FormChecks.checkOverride("approvals", value) : FormValidation.ok();
        }

        @POST
        public FormValidation doCheckTimeout(@AncestorInPath Item item, @QueryParameter String value) {
            return mayCheck(item) ? FormChecks.checkOverride("timeout", value) : FormValidation.ok();
        }

        static boolean mayCheck(Item item) {
            return item == null ? jenkins.model.Jenkins.get().hasPermission(jenkins.model.Jenkins.READ)
                    : item.hasPermission(Item.CONFIGURE);
        }
    }
}
