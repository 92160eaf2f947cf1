package io.jenkins.plugins.haupgrade;

import hudson.AbortException;
import hudson.Extension;
import hudson.FilePath;
import hudson.Launcher;
import hudson.Util;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.remoting.VirtualChannel;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.haupgrade.spec.ClusterSpec;
import io.haupgrade.spec.SpecException;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Set;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * {@code clusterHealthGate(cluster: 'clusters/lb.yaml', credentialsId: 'ops-ssh', timeout: '5m')}: waits until the
 * cluster is healthy, from the agent the step runs on, and returns the gate result; fails the build when the cluster
 * is still not healthy at the timeout. Short and changes nothing, so it runs on a worker thread and, after a
 * controller restart, asks to be run again (wrap it in {@code retry(conditions: [nonresumable()])}).
 */
public final class ClusterHealthGateStep extends Step {
    private final String cluster;
    private String credentialsId;
    private String knownHostsCredentialsId;
    private String timeout;
    private String interval;

    @DataBoundConstructor
    public ClusterHealthGateStep(String cluster) {
        this.cluster = cluster;
    }

    public String getCluster() {
        return cluster;
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

    public String getTimeout() {
        return timeout;
    }

    @DataBoundSetter
    public void setTimeout(String timeout) {
        this.timeout = Util.fixEmptyAndTrim(timeout);
    }

    public String getInterval() {
        return interval;
    }

    @DataBoundSetter
    public void setInterval(String interval) {
        this.interval = Util.fixEmptyAndTrim(interval);
    }

    UpgradeSettings settings() {
        return new UpgradeSettings(cluster, null, credentialsId, knownHostsCredentialsId, null, null, null, null, null,
                false, false);
    }

    @Override
    public StepExecution start(StepContext context) {
        return new Execution(context, this);
    }

    static final class Execution extends SynchronousNonBlockingStepExecution<LinkedHashMap<String, Object>> {
        private static final long serialVersionUID = 1L;
        private final transient ClusterHealthGateStep step;

        Execution(StepContext context, ClusterHealthGateStep step) {
            super(context);
            this.step = step;
        }

        @Override
        protected LinkedHashMap<String, Object> run() throws Exception {
            StepContext context = getContext();
            Run<?, ?> run = context.get(Run.class);
            TaskListener listener = context.get(TaskListener.class);
            UpgradeSettings settings = step.settings();
            String text = ClusterFile.read(settings, context.get(FilePath.class));
            ClusterSpec spec;
            try {
                spec = settings.spec(text, settings.source());
                if (step.timeout != null) {
                    io.haupgrade.spec.SpecOverrides.duration("timeout", step.timeout);
                }
                if (step.interval != null) {
                    io.haupgrade.spec.SpecOverrides.duration("interval", step.interval);
                }
            } catch (SpecException e) {
                throw new AbortException(e.getMessage());
            } catch (IllegalArgumentException e) {
                throw new AbortException(Messages.HaUpgradeStep_badParameter(e.getMessage()));
            }
            AgentCredentials credentials = JenkinsCredentials.resolve(run, spec, settings);
            VirtualChannel channel = context.get(Launcher.class).getChannel();
            if (channel == null) {
                throw new AbortException(Messages.ClusterHealthGateStep_agentOffline(spec.name()));
            }
            LinkedHashMap<String, Object> result = AgentCall.call(channel, new GateCallable(settings, text, credentials,
                    step.timeout, step.interval, listener));
            if (!Boolean.TRUE.equals(result.get("healthy"))) {
                throw new AbortException(Messages.ClusterHealthGateStep_red(spec.name(), result.get("summary")));
            }
            return result;
        }
    }

    @Extension
    @Symbol("clusterHealthGate")
    public static final class DescriptorImpl extends StepDescriptor {
        @Override
        public String getFunctionName() {
            return "clusterHealthGate";
        }

        @Override
        public String getDisplayName() {
            return Messages.ClusterHealthGateStep_displayName();
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class, FilePath.class, Launcher.class);
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
        public FormValidation doCheckCluster(@AncestorInPath Item item, @QueryParameter String value)
                throws IOException, InterruptedException {
            return FormChecks.checkCluster(item, value);
        }

        @POST
        public FormValidation doCheckTimeout(@AncestorInPath Item item, @QueryParameter String value) {
            return HaUpgradeStep.DescriptorImpl.mayCheck(item) ? FormChecks.checkOverride("timeout", value)
                    : FormValidation.ok();
        }

        @POST
        public FormValidation doCheckInterval(@AncestorInPath Item item, @QueryParameter String value) {
            return HaUpgradeStep.DescriptorImpl.mayCheck(item) ? FormChecks.checkOverride("interval", value)
                    : FormValidation.ok();
        }
    }
}
