package io.jenkins.plugins.haupgrade;

import hudson.AbortException;
import hudson.Launcher;
import hudson.model.Cause;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.remoting.VirtualChannel;
import io.haupgrade.execute.Rollout;
import io.haupgrade.spec.ClusterSpec;
import io.haupgrade.spec.SpecException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * Sends one {@link RolloutSegment} to the agent behind {@code launcher} and waits for it: the spec from the run's
 * directory in the build, credentials looked up for the build just now, the controller's journal as the starting
 * point and as the place every new record goes. Shared by the Pipeline step and the freestyle build step.
 */
final class Stretch {
    static final String SPEC_COPY = "cluster.yaml";

    private Stretch() {
    }

    /**
     * @param startOf what the stretch does, given the journal so far (null or empty before the run started); may
     *                return null: nothing to do
     * @return how the stretch ended, or null when there was nothing to do
     */
    static SegmentResult run(Run<?, ?> run, Launcher launcher, TaskListener listener, UpgradeSettings settings,
            Path dir, String runId, Function<byte[], RolloutSegment.Start> startOf)
            throws IOException, InterruptedException {
        Path journal = dir.resolve(Rollout.JOURNAL);
        RolloutSegment.Start start = startOf.apply(JournalMirror.ToFile.read(journal));
        if (start == null) {
            return null;
        }
        String text = Files.readString(dir.resolve(SPEC_COPY), StandardCharsets.UTF_8);
        ClusterSpec spec = spec(settings, text);
        AgentCredentials credentials = JenkinsCredentials.resolve(run, spec, settings);
        VirtualChannel channel = launcher == null ? null : launcher.getChannel();
        if (channel == null) {
            throw new AbortException(Messages.HaUpgradeStep_agentOffline(runId));
        }
        JournalMirror mirror = channel.export(JournalMirror.class, new JournalMirror.ToFile(journal));
        return AgentCall.call(channel, new RolloutSegment(settings, text, credentials, start, mirror, listener));
    }

    /**
     * Who starts a run, for its journal, lock and report (and {@code requireOtherApprover}): the user who started the
     * build, else the job (a timer, an upstream build, an SCM change).
     */
    static String startedBy(Run<?, ?> run) {
        Cause.UserIdCause cause = run.getCause(Cause.UserIdCause.class);
        return cause != null && cause.getUserId() != null ? cause.getUserId()
                : "jenkins:" + run.getParent().getFullName();
    }

    /** The run's spec with the step's overrides; bad input becomes an {@link AbortException} naming the field. */
    static ClusterSpec spec(UpgradeSettings settings, String text) throws AbortException {
        try {
            return settings.spec(text, settings.source());
        } catch (SpecException e) {
            throw new AbortException(e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new AbortException(Messages.HaUpgradeStep_badParameter(e.getMessage()));
        }
    }

    /**
     * Whether the engine wrote the run's first record in {@code dir}: it takes the cluster lock only after that, so
     * before it nothing was locked or touched and there is nothing to resume.
     */
    static boolean engineStarted(Path dir) throws IOException {
        Path journal = dir.resolve(Rollout.JOURNAL);
        return Files.exists(journal) && Files.size(journal) > 0;
    }

    /** Creates the run's directory in the build: the spec as read now, and an earlier build's journal to resume. */
    static void prepare(Path dir, String text, byte[] journal) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(SPEC_COPY), text, StandardCharsets.UTF_8);
        if (journal != null) {
            Files.write(dir.resolve(Rollout.JOURNAL), journal);
        }
    }
}
