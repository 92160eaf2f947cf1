package io.jenkins.plugins.haupgrade;

import hudson.AbortException;
import hudson.FilePath;
import hudson.Launcher;
import hudson.Util;
import hudson.model.Computer;
import hudson.model.Result;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.model.User;
import hudson.remoting.VirtualChannel;
import hudson.util.DaemonThreadFactory;
import hudson.util.NamingThreadFactory;
import io.haupgrade.report.ApprovalRecord;
import io.haupgrade.spec.ClusterSpec;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.CauseOfInterruption;
import jenkins.model.Jenkins;
import jenkins.util.Timer;
import org.jenkinsci.plugins.workflow.graph.FlowNode;
import org.jenkinsci.plugins.workflow.steps.AbstractStepExecutionImpl;
import org.jenkinsci.plugins.workflow.steps.FlowInterruptedException;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.support.actions.PauseAction;
import org.jenkinsci.plugins.workflow.support.steps.input.ApproverAction;
import org.jenkinsci.plugins.workflow.support.steps.input.POSTHyperlinkNote;
import org.jenkinsci.plugins.workflow.support.steps.input.Rejection;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.UsernameNotFoundException;

/**
 * Runs {@code haUpgrade}: drives the engine in stretches on the agent ({@link RolloutSegment}) and keeps nothing
 * between them but this small checkpoint, saved with the Pipeline program: the run id, its directory in the build
 * (journal, spec, reports) and the approval it waits for. No secret is a field: credentials are looked up again for
 * each stretch.
 *
 * <p>{@link #start()} returns at once; the work runs on a controller thread that waits for the agent. At an
 * approval the step pauses as the input step does (run action, {@link PauseAction}, POST links in the console)
 * holding no thread, no executor and no remoting call; an answer, the approval's deadline, {@link #stop} or
 * {@link #onResume()} after a controller restart each start the next stretch from the journal.
 */
public final class HaUpgradeExecution extends AbstractStepExecutionImpl {
    private static final long serialVersionUID = 1L;
    private static final Logger LOGGER = Logger.getLogger(HaUpgradeExecution.class.getName());
    /** How often a stop asks the agent again while the engine has not registered the run yet. */
    private static final Duration STOP_RETRY = Duration.ofSeconds(1);

    /** Controller threads that wait for the agent while a stretch runs; idle threads end after a minute. */
    private static final ExecutorService WORK = Executors.newCachedThreadPool(
            new NamingThreadFactory(new DaemonThreadFactory(), "haUpgrade"));

    private final UpgradeSettings settings;
    private final boolean returnAtApproval;
    private final String approver;
    private String runId;
    private String startedBy;
    private String host;
    private PendingApproval pending;
    private String abortedBy;
    private volatile boolean done;
    private transient volatile boolean working;
    /**
     * A piece of work that may run a stretch is queued or running: at most one at a time, so that a stop never starts
     * a second stretch of the same run beside it (both would resume from, and append to, the same journal).
     */
    private transient boolean inFlight;
    private transient volatile Throwable stopCause;

    HaUpgradeExecution(StepContext context, UpgradeSettings settings, boolean returnAtApproval, String approver) {
        super(context);
        this.settings = settings;
        this.returnAtApproval = returnAtApproval;
        this.approver = approver;
    }

    @Override
    public boolean start() {
        submitStretch(this::begin);
        return false;
    }

    /** A safe restart waits while a stretch works on the agent; between stretches the journal holds the run. */
    @Override
    public boolean blocksRestart() {
        return working;
    }

    @Override
    public String getStatus() {
        if (pending != null) {
            return "waiting for approval " + pending.getRequestId() + " of run " + runId;
        }
        return runId == null ? "preparing" : working ? "working on run " + runId : "between steps of run " + runId;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Start

    private void begin() throws Exception {
        StepContext context = getContext();
        Run<?, ?> run = context.get(Run.class);
        TaskListener listener = context.get(TaskListener.class);
        String text = ClusterFile.read(settings, context.get(FilePath.class));
        ClusterSpec spec = Stretch.spec(settings, text);
        if (settings.dryRun()) {
            listener.getLogger().print(DryPlan.render(spec));
            finish(result("status", "DRY_RUN", "cluster", spec.name()));
            return;
        }
        HaUpgradeAction action = HaUpgradeAction.of(run);
        startedBy = Stretch.startedBy(run);
        host = host(context);
        if (!settings.resume()) {
            runId = RunIds.next(run, spec.name(), action);
            prepare(action, action.add(runId, spec.name(), "ha-upgrade/" + runId), text, null);
            stretch(j -> RolloutSegment.Start.run(runId, startedBy, host, j));
            return;
        }
        Previous previous = Previous.find(run, spec.name());
        if (previous == null) {
            throw new AbortException(Messages.HaUpgradeStep_nothingToResume(spec.name()));
        }
        runId = previous.runId;
        listener.getLogger().println(Messages.HaUpgradeStep_resuming(runId, previous.where));
        PendingApproval waiting = previous.record.getPending();
        if (!previous.sameBuild(run)) {
            prepare(action, action.add(runId, spec.name(), "ha-upgrade/" + runId), text,
                    Files.readAllBytes(previous.journal));
            previous.handOver(run);
        }
        if (waiting != null && approver != null) {
            answeredInPipeline(run, listener, waiting);
        } else {
            stretch(j -> RolloutSegment.Start.run(runId, startedBy, host, j));
        }
    }

    private void prepare(HaUpgradeAction action, RunRecord record, String text, byte[] journal) throws IOException {
        Stretch.prepare(action.directory(record), text, journal);
        getContext().saveState();
    }

    /**
     * A run that returned at an approval ({@code returnAtApproval}) continues with {@code approver} as the person
     * who answered: the Pipeline's own {@code input} step asked them, checked that they may, and recorded their
     * approval in this build. A name that approved nothing in this build is refused: anyone who can edit the
     * Jenkinsfile could otherwise write an allowed approver's name.
     */
    private void answeredInPipeline(Run<?, ?> run, TaskListener listener, PendingApproval waiting) throws Exception {
        boolean approvedHere = run.getActions(ApproverAction.class).stream()
                .anyMatch(a -> a.getUserId() != null && User.idStrategy().equals(a.getUserId(), approver));
        if (!approvedHere) {
            refuseApprover(run, waiting, Messages.HaUpgradeStep_approverUnproven(approver));
            return;
        }
        String answer = waiting.getChoices().contains("proceed") ? "proceed" : "abort";
        // The input step checked its own submitter parameter; the spec's submitters decide, as on the build page.
        Authentication who = authenticationOf(approver);
        Admission admission = who == null ? new Admission(true, null)
                : Admission.of(who, waiting.getSubmitters(), run.getParent());
        if (answer.equals("proceed") && !admission.allowed()) {
            refuseApprover(run, waiting, Messages.HaUpgradeStep_approverNotSubmitter(approver,
                    String.join(", ", waiting.getSubmitters()), waiting.getRequestId()));
            return;
        }
        listener.getLogger().println(Messages.HaUpgradeStep_answered(waiting.getRequestId(), answer,
                answeredBy(approver, admission.as())));
        stretch(j -> RolloutSegment.Start.answer(runId, host, j, waiting.getRequestId(), answer, approver,
                who == null ? List.of() : Admission.groups(who), admission.as(),
                "answered through the Pipeline's input step"));
    }

    /**
     * Ends the step on an approver it cannot accept. Nothing ran: the run still waits at its approval exactly as the
     * call that returned there left it, and the build page says so (not "stopped before it finished", which would
     * also drop the approval a later resume answers).
     */
    private void refuseApprover(Run<?, ?> run, PendingApproval waiting, String why) throws IOException {
        HaUpgradeAction action = HaUpgradeAction.of(run);
        action.record(runId).awaiting(waiting, false);
        action.save();
        fail(new AbortException(Messages.HaUpgradeStep_approverRefused(why, runId, waiting.getRequestId())));
    }

    /** The user's authentication with their groups; null when the security realm cannot say now (then names decide). */
    private static Authentication authenticationOf(String userId) {
        User user = User.getById(userId, false);
        try {
            return user == null ? null : user.impersonate2();
        } catch (UsernameNotFoundException e) {
            LOGGER.log(Level.FINE, "cannot look up the groups of " + userId, e);
            return null;
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Stretches on the agent

    /**
     * Runs one stretch on the step's agent and acts on how it ended. A stop that came first turns it into the
     * stretch that stops the run (or, before the run started, ends the step at once).
     */
    private void stretch(Function<byte[], RolloutSegment.Start> startOf) throws Exception {
        if (done) {
            return;
        }
        Throwable stopping = stopCause;
        if (stopping != null) {
            startOf = j -> j == null || j.length == 0 ? null
                    : RolloutSegment.Start.stop(runId, host, j, stoppedBy(stopping), stopReason(stopping));
        }
        StepContext context = getContext();
        Run<?, ?> run = context.get(Run.class);
        TaskListener listener = context.get(TaskListener.class);
        HaUpgradeAction action = HaUpgradeAction.of(run);
        RunRecord record = action.record(runId);
        record.running();
        action.save();
        SegmentResult result;
        working = true;
        try {
            result = Stretch.run(run, context.get(Launcher.class), listener, settings, action.directory(record), runId,
                    startOf);
        } finally {
            working = false;
        }
        if (result == null) {
            record.finished("ABORTED", "stopped before the run started");
            action.save();
            fail(stopping);
            return;
        }
        handle(run, listener, action, record, result);
    }

    private void handle(Run<?, ?> run, TaskListener listener, HaUpgradeAction action, RunRecord record,
            SegmentResult result) throws Exception {
        PrintStream log = listener.getLogger();
        switch (result.kind) {
            case AWAITING_APPROVAL -> {
                if (stopCause != null) {
                    stopNow();
                    return;
                }
                if (returnAtApproval) {
                    record.awaiting(result.pending, false);
                    action.save();
                    log.println(Messages.HaUpgradeStep_returning(result.pending.getRequestId()));
                    finish(result("status", "AWAITING_APPROVAL", "runId", runId, "cluster", record.getCluster(),
                            "approval", result.pending.getRequestId(), "message", result.pending.getMessage()));
                    return;
                }
                pause(run, log, action, record, result.pending);
            }
            case ANSWER_REFUSED -> {
                log.println(Messages.HaUpgradeStep_answerRefused(result.summary));
                if (result.pending != null) {
                    pause(run, log, action, record, result.pending);
                } else {
                    // Nothing left to answer and nothing running: go on from the journal rather than hang.
                    stretch(j -> RolloutSegment.Start.run(runId, startedBy, host, j));
                }
            }
            case FINISHED -> finished(run, listener, action, record, result);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Approvals

    private void pause(Run<?, ?> run, PrintStream log, HaUpgradeAction action, RunRecord record, PendingApproval p)
            throws Exception {
        synchronized (this) {
            pending = p;
        }
        record.awaiting(p, true);
        action.save();
        FlowNode node = getContext().get(FlowNode.class);
        if (!PauseAction.isPaused(node)) {
            node.addAction(new PauseAction("Approval"));
        }
        String url = '/' + run.getUrl() + HaUpgradeAction.URL_NAME + "/approval/" + Util.rawEncode(p.getId()) + '/';
        log.println(Messages.HaUpgradeStep_waiting(p.getMessage()));
        p.getEvidence().forEach(line -> log.println("    " + line));
        StringBuilder links = new StringBuilder();
        for (String answer : p.getChoices()) {
            links.append(links.length() == 0 ? "" : " | ").append(POSTHyperlinkNote.encodeTo(url + answer, answer));
        }
        log.println(links + "   " + Messages.HaUpgradeStep_deadline(p.getDeadline()));
        getContext().saveState();
        armDeadline(p);
    }

    /** When nobody answers by the deadline, the next stretch records the timeout and acts on it. */
    private void armDeadline(PendingApproval p) {
        long delay = Math.max(0, Duration.between(Instant.now(), p.getDeadline()).toMillis()) + 1000;
        Timer.get().schedule(() -> {
            if (takePending(p.getId()) != null) {
                endPause();
                submitStretch(() -> stretch(j -> RolloutSegment.Start.run(runId, startedBy, host, j)));
            }
        }, delay, TimeUnit.MILLISECONDS);
    }

    /** Whether this step waits for the approval {@code id} of {@code run}. */
    boolean waitsFor(String run, String id) {
        PendingApproval p = pending;
        return run.equals(runId) && p != null && p.getId().equals(id);
    }

    /** Takes the pending approval away, so that exactly one answer (or the deadline, or a stop) acts on it. */
    private synchronized PendingApproval takePending(String id) {
        PendingApproval p = pending;
        if (p == null || (id != null && !p.getId().equals(id))) {
            return null;
        }
        pending = null;
        return p;
    }

    /** An answer from the build page or the REST API, already checked against the permissions. */
    void answer(String run, String id, String answer, String userId, List<String> groups, String admittedAs,
            String comment)
            throws IOException, InterruptedException {
        Computer agent = getContext().get(Computer.class);
        if (run.equals(runId) && agent != null && agent.isOffline()) {
            // The answer must reach the engine on the agent; taken now, it would be lost with the stretch.
            throw org.kohsuke.stapler.HttpResponses.errorWithoutStack(503,
                    Messages.Approval_agentOffline(agent.getDisplayName(), runId, id));
        }
        PendingApproval p = run.equals(runId) ? takePending(id) : null;
        if (p == null) {
            throw org.kohsuke.stapler.HttpResponses.errorWithoutStack(409, Messages.Approval_gone(id));
        }
        if (answer.equals("abort")) {
            abortedBy = userId;
        } else {
            getContext().get(Run.class).addAction(new ApproverAction(userId));
        }
        endPause();
        getContext().get(TaskListener.class).getLogger().println(Messages.HaUpgradeStep_answered(
                p.getRequestId(), answer, answeredBy(userId, admittedAs)));
        getContext().saveState();
        submitStretch(() -> stretch(j -> RolloutSegment.Start.answer(runId, host, j, p.getRequestId(), answer, userId,
                groups, admittedAs, comment)));
    }

    /** As the engine names the approver in the lines that follow: with how Jenkins admitted them, if not by name. */
    private static String answeredBy(String userId, String admittedAs) {
        return ApprovalRecord.approver(HaUpgradeAction.displayName(userId), admittedAs);
    }

    private void endPause() {
        try {
            FlowNode node = getContext().get(FlowNode.class);
            if (node != null && PauseAction.isPaused(node)) {
                PauseAction.endCurrentPause(node);
            }
        } catch (IOException | InterruptedException e) {
            LOGGER.log(Level.WARNING, "cannot end the pause of " + getContext(), e);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // The end

    private void finished(Run<?, ?> run, TaskListener listener, HaUpgradeAction action, RunRecord record,
            SegmentResult result) throws Exception {
        Path dir = action.directory(record);
        String reportPath = null;
        if (result.reportJson != null) {
            Files.writeString(dir.resolve(io.haupgrade.report.ReportWriter.JSON), result.reportJson,
                    StandardCharsets.UTF_8);
            Files.writeString(dir.resolve(io.haupgrade.report.ReportWriter.HTML), result.reportHtml,
                    StandardCharsets.UTF_8);
            reportPath = Reports.archive(run, getContext().get(FilePath.class), getContext().get(Launcher.class),
                    listener, runId, result.reportJson, result.reportHtml);
        }
        record.finished(result.status, result.summary);
        action.save();
        endPause();
        ReportView report = action.getReport(record);
        switch (result.status) {
            case "SUCCEEDED" -> {
                if (stopCause != null) {
                    // The run reached its end before the stop reached the engine: the report says so, the build
                    // was aborted all the same.
                    fail(stopCause);
                } else {
                    finish(report == null ? result("status", result.status) : report.toMap(reportPath));
                }
            }
            case "ABORTED" -> fail(stopCause != null ? stopCause : new FlowInterruptedException(Result.ABORTED,
                    true, abortedBy != null ? new Rejection(User.getById(abortedBy, false))
                            : new RunAborted(result.summary)));
            default -> fail(new AbortException(Messages.HaUpgradeStep_failed(record.getCluster(), result.status,
                    result.summary, reportPath == null ? dir.toString() : reportPath)));
        }
    }

    /**
     * Why a run aborted when no person aborted it, e.g. an approval's deadline passed and its onTimeout said abort:
     * the Pipeline sees this, never a {@link Rejection}, so a timeout cannot pass for a person's decision.
     */
    public static final class RunAborted extends CauseOfInterruption {
        private static final long serialVersionUID = 1L;
        private final String summary;

        RunAborted(String summary) {
            this.summary = summary;
        }

        @Override
        public String getShortDescription() {
            return summary;
        }
    }

    /** A step's return value: a plain map, as the Pipeline program saves and a sandboxed script reads it. */
    private static LinkedHashMap<String, Object> result(Object... keysAndValues) {
        LinkedHashMap<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    /** Ends the step once; whatever comes later (a late answer, a stop) finds it done. */
    private synchronized void finish(Object value) {
        if (!done) {
            done = true;
            getContext().onSuccess(value);
        }
    }

    private synchronized void fail(Throwable cause) {
        if (!done) {
            done = true;
            getContext().onFailure(cause);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Stop and resume

    /**
     * The build is aborted (or a timeout step ended it): the run stops at its next safe point and the failure
     * policy undoes what it may; then the step ends with {@code cause}. Never blocks the calling (CPS VM) thread.
     */
    @Override
    public void stop(Throwable cause) {
        stopCause = cause;
        submit(() -> {
            if (done) {
                return;
            }
            if (claim()) {
                try {
                    if (runId == null) {
                        fail(cause);
                    } else {
                        stopNow();
                    }
                } finally {
                    release();
                }
                return;
            }
            // A stretch is queued or working: it sees stopCause when it starts or ends. Tell a working engine
            // now; it may not have registered the run yet, so ask again until it has or the stretch is over.
            while (inFlight() && !done && runId != null) {
                VirtualChannel channel = getContext().get(Launcher.class).getChannel();
                if (channel != null && working
                        && channel.call(new RolloutSegment.Stop(runId, stoppedBy(cause), stopReason(cause)))) {
                    return;
                }
                Thread.sleep(STOP_RETRY.toMillis());
            }
        });
    }

    private void stopNow() throws Exception {
        takePending(null);
        endPause();
        Throwable cause = stopCause;
        stretch(j -> RolloutSegment.Start.stop(runId, host, j, stoppedBy(cause), stopReason(cause)));
    }

    /**
     * Why the build stopped, in words for the console, the journal and the report: an abort or a timeout carries no
     * message, only causes (e.g. "Aborted by alice", "Timeout has been exceeded").
     */
    private static String stopReason(Throwable cause) {
        if (cause instanceof FlowInterruptedException interrupted && !interrupted.getCauses().isEmpty()) {
            return interrupted.getCauses().stream().map(CauseOfInterruption::getShortDescription)
                    .collect(java.util.stream.Collectors.joining("; "));
        }
        String message = cause.getMessage();
        return message == null || message.isBlank() ? cause.getClass().getSimpleName() : message;
    }

    /**
     * Who stopped the build: the user an abort names (this runs on a pool thread, where the current user is
     * nobody's), else Jenkins.
     */
    private static String stoppedBy(Throwable cause) {
        if (cause instanceof FlowInterruptedException interrupted) {
            for (CauseOfInterruption c : interrupted.getCauses()) {
                if (c instanceof CauseOfInterruption.UserInterruption user) {
                    return user.getUserId();
                }
            }
            return "jenkins (build stopped)";
        }
        return "jenkins";
    }

    /**
     * After a controller restart: a pending approval is armed again (its deadline too); a run that was working on
     * the agent continues from the controller's journal, checking first the step that was cut off.
     */
    @Override
    public void onResume() {
        if (done) {
            return;
        }
        if (runId == null) {
            submitStretch(this::begin);
        } else if (pending != null) {
            armDeadline(pending);
        } else {
            submitStretch(() -> stretch(j -> RolloutSegment.Start.run(runId, startedBy, host, j)));
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    private interface Work {
        void run() throws Exception;
    }

    /** Queues work that may run a stretch, unless another is queued or running (then it is dropped, logged). */
    private void submitStretch(Work work) {
        if (!claim()) {
            LOGGER.log(Level.WARNING, "haUpgrade: a stretch of run {0} is already under way; not starting another",
                    runId);
            return;
        }
        submit(() -> {
            try {
                work.run();
            } finally {
                release();
            }
        });
    }

    private synchronized boolean claim() {
        if (inFlight) {
            return false;
        }
        inFlight = true;
        return true;
    }

    private synchronized void release() {
        inFlight = false;
    }

    private synchronized boolean inFlight() {
        return inFlight;
    }

    private void submit(Work work) {
        WORK.submit(() -> {
            try {
                work.run();
            } catch (Throwable t) {
                if (done) {
                    LOGGER.log(Level.WARNING, "haUpgrade: after the step ended", t);
                    return;
                }
                Jenkins jenkins = Jenkins.getInstanceOrNull();
                if (jenkins == null || jenkins.isTerminating()) {
                    // The controller is going down: the journal holds the state, onResume() goes on from it.
                    LOGGER.log(Level.FINE, "haUpgrade stretch ended by shutdown; resumes after the restart", t);
                    return;
                }
                if (runId == null) {
                    fail(t);
                    return;
                }
                if (!engineStarted()) {
                    // Refused before the engine's first record (credentials, agent offline): no lock was taken and
                    // no node touched, so there is nothing to resume and the cause says all.
                    recordNotStarted(t);
                    fail(t);
                    return;
                }
                String why = Messages.HaUpgradeStep_interrupted(runId, String.valueOf(t.getMessage()));
                recordInterrupted(why);
                fail(new AbortException(why));
            }
        });
    }

    /** Whether the engine wrote the run's first record (see {@link Stretch#engineStarted}). */
    private boolean engineStarted() {
        try {
            HaUpgradeAction action = HaUpgradeAction.of(getContext().get(Run.class));
            return Stretch.engineStarted(action.directory(action.record(runId)));
        } catch (IOException | RuntimeException e) {
            LOGGER.log(Level.FINE, "cannot read the journal of run " + runId, e);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    /** The build page says the run never started, with the reason; a resume does not pick it up. */
    private void recordNotStarted(Throwable t) {
        try {
            HaUpgradeAction action = HaUpgradeAction.of(getContext().get(Run.class));
            action.record(runId).finished("NOT_STARTED", String.valueOf(t.getMessage()));
            action.save();
        } catch (IOException | RuntimeException e) {
            LOGGER.log(Level.WARNING, "cannot record that run " + runId + " did not start", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The build page says the run stopped before its end (its journal lets a later build resume it). */
    private void recordInterrupted(String why) {
        try {
            HaUpgradeAction action = HaUpgradeAction.of(getContext().get(Run.class));
            action.record(runId).interrupted(why);
            action.save();
        } catch (IOException | RuntimeException e) {
            LOGGER.log(Level.WARNING, "cannot record that run " + runId + " was interrupted", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String host(StepContext context) throws IOException, InterruptedException {
        Computer computer = context.get(Computer.class);
        String agent = computer == null ? "?" : computer.getName().isEmpty() ? "built-in" : computer.getName();
        String root = Jenkins.get().getRootUrl();
        return "jenkins " + (root == null ? "" : root + " ") + "agent " + agent;
    }
}
