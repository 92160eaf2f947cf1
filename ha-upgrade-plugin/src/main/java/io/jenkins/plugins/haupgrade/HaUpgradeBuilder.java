package io.jenkins.plugins.haupgrade;

import hudson.AbortException;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.Launcher;
import hudson.Util;
import hudson.model.AbstractProject;
import hudson.model.Item;
import hudson.model.Result;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.tasks.BuildStepDescriptor;
import hudson.tasks.Builder;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.haupgrade.plan.Plan;
import io.haupgrade.plan.PlanException;
import io.haupgrade.plan.PlanRequest;
import io.haupgrade.plan.Planner;
import io.haupgrade.plan.PlanStep;
import io.haupgrade.plan.StepKind;
import io.haupgrade.spec.ClusterSpec;
import io.haupgrade.spec.FailureAction;
import io.haupgrade.spec.NodeSpec;
import io.haupgrade.spec.Role;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jenkins.tasks.SimpleBuildStep;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * The freestyle build step: the same options and the same engine as {@code haUpgrade}, in one go. A freestyle
 * build cannot pause for a person, so a plan with approvals (or {@code onFailure: pause}) is refused before anything
 * is touched, with the ways to go on.
 */
public final class HaUpgradeBuilder extends Builder implements SimpleBuildStep {
    private final String cluster;
    private String strategy;
    private String credentialsId;
    private String knownHostsCredentialsId;
    private String targetVersion;
    private String approvals;
    private String onFailure;
    private boolean dryRun;
    private boolean resume;

    @DataBoundConstructor
    public HaUpgradeBuilder(String cluster) {
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

    public String getOnFailure() {
        return onFailure;
    }

    @DataBoundSetter
    public void setOnFailure(String onFailure) {
        this.onFailure = Util.fixEmptyAndTrim(onFailure);
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

    /** The same mapping as the Pipeline step's; no submitter or timeout: nobody is asked. */
    UpgradeSettings settings() {
        return new UpgradeSettings(cluster, strategy, credentialsId, knownHostsCredentialsId, targetVersion, approvals,
                null, onFailure, null, dryRun, resume);
    }

    @Override
    public void perform(Run<?, ?> run, FilePath workspace, EnvVars env, Launcher launcher, TaskListener listener)
            throws InterruptedException, IOException {
        UpgradeSettings settings = settings();
        String text = ClusterFile.read(settings, workspace);
        ClusterSpec spec = Stretch.spec(settings, text);
        if (dryRun) {
            listener.getLogger().print(DryPlan.render(spec));
            return;
        }
        refuseApprovals(spec);
        HaUpgradeAction action = HaUpgradeAction.of(run);
        String runId;
        byte[] journal = null;
        Previous previous = null;
        if (resume) {
            previous = Previous.find(run, spec.name());
            if (previous == null) {
                throw new AbortException(Messages.HaUpgradeStep_nothingToResume(spec.name()));
            }
            runId = previous.runId;
            journal = Files.readAllBytes(previous.journal);
            listener.getLogger().println(Messages.HaUpgradeStep_resuming(runId, previous.where));
        } else {
            runId = RunIds.next(run, spec.name(), action);
        }
        RunRecord record = action.add(runId, spec.name(), HaUpgradeAction.URL_NAME + "/" + runId);
        Path dir = action.directory(record);
        Stretch.prepare(dir, text, journal);
        if (previous != null) {
            previous.handOver(run);
        }
        String startedBy = Stretch.startedBy(run);
        String build = "jenkins:" + run.getParent().getFullName() + " #" + run.getNumber();
        String host = "jenkins agent " + (workspace.toComputer() == null ? "?" : workspace.toComputer().getName());
        SegmentResult result;
        try {
            result = Stretch.run(run, launcher, listener, settings, dir, runId,
                    j -> RolloutSegment.Start.run(runId, startedBy, host, j));
            if (result.kind != SegmentResult.Kind.FINISHED) {
                // Only a step cut off by a crash asks a person; nobody can answer here, so the run stops safely.
                listener.getLogger().println(Messages.HaUpgradeBuilder_cannotPause(
                        result.pending == null ? "" : result.pending.getMessage()));
                result = Stretch.run(run, launcher, listener, settings, dir, runId,
                        j -> RolloutSegment.Start.stop(runId, host, j, build, "a freestyle build cannot pause"));
            }
        } catch (InterruptedException e) {
            listener.getLogger().println(Messages.HaUpgradeBuilder_interrupted(runId));
            Stretch.run(run, launcher, listener, settings, dir, runId,
                    j -> RolloutSegment.Start.stop(runId, host, j, build, "the build was aborted"));
            throw e;
        } catch (IOException | RuntimeException e) {
            // The build page must not show the run RUNNING after the build ended (e.g. unknown credentials).
            if (Stretch.engineStarted(dir)) {
                record.interrupted(Messages.HaUpgradeStep_interrupted(runId, String.valueOf(e.getMessage())));
            } else {
                record.finished("NOT_STARTED", String.valueOf(e.getMessage()));
            }
            action.save();
            throw e;
        }
        String reportPath = null;
        if (result.reportJson != null) {
            Files.writeString(dir.resolve(io.haupgrade.report.ReportWriter.JSON), result.reportJson);
            Files.writeString(dir.resolve(io.haupgrade.report.ReportWriter.HTML), result.reportHtml);
            reportPath = Reports.archive(run, workspace, launcher, listener, runId, result.reportJson,
                    result.reportHtml);
        }
        record.finished(result.status, result.summary);
        action.save();
        switch (result.status) {
            case "SUCCEEDED" -> { }
            case "ABORTED" -> {
                run.setResult(Result.ABORTED);
                throw new AbortException(Messages.HaUpgradeStep_failed(spec.name(), result.status, result.summary,
                        String.valueOf(reportPath)));
            }
            default -> throw new AbortException(Messages.HaUpgradeStep_failed(spec.name(), result.status,
                    result.summary, String.valueOf(reportPath)));
        }
    }

    /** A plan that would ask a person is refused up front: nothing has been touched yet. */
    static void refuseApprovals(ClusterSpec spec) throws AbortException {
        if (spec.policy().onFailure() == FailureAction.PAUSE) {
            throw new AbortException(Messages.HaUpgradeBuilder_pauseOnFailure());
        }
        Map<String, Role> roles = new LinkedHashMap<>();
        for (NodeSpec n : spec.nodes()) {
            if (n.role() != null) {
                roles.put(n.name(), n.role());
            }
        }
        Plan plan;
        try {
            plan = Planner.plan(new PlanRequest(spec, null, null, null, roles, null));
        } catch (PlanException e) {
            throw new AbortException(Messages.DryPlan_refused(e.format()));
        }
        List<String> points = plan.steps().stream().filter(s -> s.kind() == StepKind.APPROVAL).map(PlanStep::id)
                .toList();
        if (!points.isEmpty()) {
            throw new AbortException(Messages.HaUpgradeBuilder_approvals(String.join(", ", points)));
        }
    }

    @Extension
    public static final class DescriptorImpl extends BuildStepDescriptor<hudson.tasks.Builder> {
        @Override
        @SuppressWarnings("rawtypes") // the signature Jenkins declares
        public boolean isApplicable(Class<? extends AbstractProject> jobType) {
            return true;
        }

        @Override
        public String getDisplayName() {
            return Messages.HaUpgradeBuilder_displayName();
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
            return HaUpgradeStep.DescriptorImpl.mayCheck(item) ? FormChecks.checkOverride("approvals", value)
                    : FormValidation.ok();
        }
    }
}
