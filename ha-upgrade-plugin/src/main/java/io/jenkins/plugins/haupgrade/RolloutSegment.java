package io.jenkins.plugins.haupgrade;

import hudson.model.TaskListener;
import io.haupgrade.execute.ApprovalDecision;
import io.haupgrade.execute.ApprovalRefusedException;
import io.haupgrade.execute.ApprovalRequest;
import io.haupgrade.execute.Rollout;
import io.haupgrade.execute.RolloutContext;
import io.haupgrade.execute.RolloutRequest;
import io.haupgrade.execute.RunEvent;
import io.haupgrade.execute.RunListener;
import io.haupgrade.execute.SshNodeSessions;
import io.haupgrade.execute.StepOutcome;
import io.haupgrade.journal.Journal;
import io.haupgrade.report.ReportWriter;
import io.haupgrade.spec.ClusterSpec;
import io.haupgrade.ssh.SecretMasker;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import jenkins.security.MasterToSlaveCallable;

/**
 * One stretch of a run, on the agent the step runs on (where the SSH connections start): start or resume the run
 * from the controller's journal, apply an answer or a stop request, then run plan steps until the run waits for a
 * person or is over. Nothing is held once it returns: no thread, no connection, no remoting call; the journal on
 * the controller is the whole state.
 *
 * <p>The engine works on a scratch copy of the run directory on the agent, deleted at the end; every durable event
 * reaches the controller's journal through {@link JournalMirror} before the engine goes on.
 */
final class RolloutSegment extends MasterToSlaveCallable<SegmentResult, IOException> {
    private static final long serialVersionUID = 1L;

    /** Runs now working on this agent, by run id, so that a stop request reaches them (see {@link Stop}). */
    private static final Map<String, Rollout> ACTIVE = new ConcurrentHashMap<>();

    /** What this stretch starts with. */
    static final class Start implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        final String runId;
        final String startedBy;
        final String host;
        final byte[] journal;
        final String answer;
        final String answerRequestId;
        final String by;
        final ArrayList<String> groups;
        final String admittedAs;
        final String comment;
        final String stopReason;

        private Start(String runId, String startedBy, String host, byte[] journal, String answer,
                String answerRequestId, String by, List<String> groups, String admittedAs, String comment,
                String stopReason) {
            this.runId = runId;
            this.startedBy = startedBy;
            this.host = host;
            this.journal = journal;
            this.answer = answer;
            this.answerRequestId = answerRequestId;
            this.by = by;
            this.groups = groups == null ? new ArrayList<>() : new ArrayList<>(groups);
            this.admittedAs = admittedAs;
            this.comment = comment;
            this.stopReason = stopReason;
        }

        /** A new run, or a resumed one when {@code journal} holds records. */
        static Start run(String runId, String startedBy, String host, byte[] journal) {
            return new Start(runId, startedBy, host, journal, null, null, startedBy, null, null, null, null);
        }

        /** Resume, answer the pending approval ({@code admittedAs}: see {@link Admission#as}), go on. */
        static Start answer(String runId, String host, byte[] journal, String requestId, String answer, String by,
                List<String> groups, String admittedAs, String comment) {
            return new Start(runId, by, host, journal, answer, requestId, by, groups, admittedAs, comment, null);
        }

        /** Resume and stop at once: the failure policy's undo runs, the report is written. */
        static Start stop(String runId, String host, byte[] journal, String by, String reason) {
            return new Start(runId, by, host, journal, null, null, by, null, null, null, reason);
        }
    }

    private final UpgradeSettings settings;
    private final String specText;
    private final AgentCredentials credentials;
    private final Start start;
    private final JournalMirror mirror;
    private final TaskListener listener;

    RolloutSegment(UpgradeSettings settings, String specText, AgentCredentials credentials, Start start,
            JournalMirror mirror, TaskListener listener) {
        this.settings = settings;
        this.specText = specText;
        this.credentials = credentials;
        this.start = start;
        this.mirror = mirror;
        this.listener = listener;
    }

    @Override
    public SegmentResult call() throws IOException {
        PrintStream console = listener.getLogger();
        try {
            return work(console);
        } finally {
            console.flush(); // before the answer: see AgentCall
        }
    }

    private SegmentResult work(PrintStream console) throws IOException {
        ClusterSpec spec = credentials.specOnAgent(settings, specText);
        SecretMasker masker = new SecretMasker();
        credentials.registerWith(masker);
        RunListener events = new ConsoleEvents(console, masker).andThen(this::mirror);
        SshNodeSessions sessions = credentials.sessions(spec, masker, console);
        Path dir = Files.createTempDirectory("ha-upgrade-run-");
        try {
            boolean resuming = start.journal != null && start.journal.length > 0;
            if (resuming) {
                Files.write(dir.resolve(Rollout.JOURNAL), start.journal);
            }
            RolloutContext context = new RolloutContext(sessions, events, Clock.systemUTC());
            try (Rollout rollout = resuming
                    ? Rollout.resume(dir, spec, context, start.by, start.host, null, false)
                    : Rollout.start(new RolloutRequest(spec, null, null, start.runId, dir, start.startedBy, start.host,
                            null, false), context)) {
                ACTIVE.put(start.runId, rollout);
                try {
                    return drive(rollout, dir);
                } finally {
                    ACTIVE.remove(start.runId, rollout);
                }
            }
        } finally {
            deleteTree(dir);
        }
    }

    private SegmentResult drive(Rollout rollout, Path dir) throws IOException {
        if (start.answer != null) {
            try {
                rollout.decide(new ApprovalDecision(start.answerRequestId, PendingApproval.answer(start.answer),
                        start.by, start.groups, start.admittedAs, Instant.now(), start.comment));
            } catch (ApprovalRefusedException e) {
                return SegmentResult.refused(rollout.pendingApproval().map(PendingApproval::of).orElse(null),
                        e.getMessage());
            }
        }
        if (start.stopReason != null) {
            rollout.cancel(start.by, start.stopReason);
            // As the CLI's runner does: a stop while a person is asked ends the question with an abort.
            Optional<ApprovalRequest> waiting = rollout.pendingApproval();
            if (waiting.isPresent()) {
                try {
                    rollout.decide(ApprovalDecision.of(waiting.get().id(), ApprovalDecision.Answer.ABORT, start.by,
                            Instant.now(), "stopped while waiting for this approval: " + start.stopReason));
                } catch (ApprovalRefusedException e) {
                    throw new IllegalStateException("the engine refused to abort " + waiting.get().id() + ": "
                            + e.getMessage(), e);
                }
            }
        }
        StepOutcome outcome = rollout.next();
        while (outcome instanceof StepOutcome.Continue) {
            outcome = rollout.next();
        }
        if (outcome instanceof StepOutcome.AwaitingApproval waiting) {
            return SegmentResult.awaiting(PendingApproval.of(waiting.request()));
        }
        StepOutcome.Finished finished = (StepOutcome.Finished) outcome;
        return SegmentResult.finished(finished.status().name(),
                finished.stoppedAt() == null ? "" : finished.stoppedAt(), readIfPresent(dir.resolve(ReportWriter.JSON)),
                readIfPresent(dir.resolve(ReportWriter.HTML)));
    }

    /** Every durable event goes to the controller's journal, written exactly as the engine's journal writes it. */
    private void mirror(RunEvent event) {
        if (!event.durable()) {
            return;
        }
        mirror.append(Journal.line(event));
    }

    private static String readIfPresent(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file) : null;
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the scratch run directory " + dir, e);
        }
    }

    /** Asks the stretch now running for {@code runId} on this agent to stop at its next safe point. */
    static final class Stop extends MasterToSlaveCallable<Boolean, RuntimeException> {
        private static final long serialVersionUID = 1L;
        private final String runId;
        private final String by;
        private final String reason;

        Stop(String runId, String by, String reason) {
            this.runId = runId;
            this.by = by;
            this.reason = reason;
        }

        @Override
        public Boolean call() {
            Rollout rollout = ACTIVE.get(runId);
            if (rollout == null) {
                return false;
            }
            rollout.cancel(by, reason);
            return true;
        }
    }
}
