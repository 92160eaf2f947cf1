package io.haupgrade.execute;

import io.haupgrade.execute.ApprovalDecision.Answer;
import io.haupgrade.health.GateResult;
import io.haupgrade.health.GateScope;
import io.haupgrade.health.HealthGate;
import io.haupgrade.health.NodeInspector;
import io.haupgrade.health.Rendering;
import io.haupgrade.journal.Journal;
import io.haupgrade.lock.ClusterLock;
import io.haupgrade.lock.LockRefusedException;
import io.haupgrade.plan.Plan;
import io.haupgrade.plan.PlanException;
import io.haupgrade.plan.PlanRequest;
import io.haupgrade.plan.PlanStep;
import io.haupgrade.plan.Planner;
import io.haupgrade.plan.StepKind;
import io.haupgrade.probe.DowntimeProbe;
import io.haupgrade.probe.ProbeResult;
import io.haupgrade.report.ReportJson;
import io.haupgrade.report.ReportWriter;
import io.haupgrade.report.RunReport;
import io.haupgrade.spec.ApprovalPoint;
import io.haupgrade.spec.Approvals;
import io.haupgrade.spec.ClusterSpec;
import io.haupgrade.spec.CommandSpec;
import io.haupgrade.spec.FailureAction;
import io.haupgrade.spec.Membership;
import io.haupgrade.spec.NodeSpec;
import io.haupgrade.spec.Phase;
import io.haupgrade.spec.Role;
import io.haupgrade.spec.Strategy;
import io.haupgrade.spec.TimeoutAction;
import io.haupgrade.spec.Variables;
import io.haupgrade.ssh.CommandResult;
import io.haupgrade.ssh.SshException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * One rollout, driven one plan step at a time. {@link #next()} runs exactly one step and says what happened;
 * everything needed to go on is in the run directory's journal, so {@link #resume} in a fresh process (or the
 * Jenkins controller after a restart) continues where the journal ends. Approvals never hold a thread: the run
 * returns {@link StepOutcome.AwaitingApproval} and continues after {@link #decide}.
 *
 * <p>Invariants kept whatever the plan says: no node is fenced while the last gate is red or while fencing it would
 * break maxUnavailable or a group limit; no further node is touched after a failure unless a person approves;
 * every fence is undone on every exit path the failure policy allows, and every fence left in place is reported
 * with its reason.
 */
public final class Rollout implements AutoCloseable {
    public static final String JOURNAL = "journal.jsonl";
    public static final String REPORT = ReportWriter.JSON;
    static final String ON_FAILURE = "on-failure";
    static final String MIXED_TOO_LONG = "old and new versions have served side by side for ";
    /** A long wait says what it waits for this often, and at least four times before its limit. */
    private static final Duration WAIT_REPORT_EVERY = Duration.ofSeconds(10);
    private static final Duration WAIT_REPORT_MIN = Duration.ofMillis(100);

    private final ClusterSpec spec;
    private final RolloutContext context;
    private final Path runDir;
    private final Journal<RunEvent> journal;
    private final RunState state;
    private final Remote remote;
    private final NodeInspector inspector;
    private final HealthGate gate;
    private final ExecutorService pool;
    private final ClusterLock lock;
    /**
     * Every node of the spec, members and incoming ones (replace): the nodes the run locks, so that two runs cannot
     * work on the same node, an incoming one included.
     */
    private final List<String> lockedNodes;
    private Variables baseVars;
    private DowntimeProbe probe;
    /** The measurement of the run's earlier stretches (null when none), read from the journal on resume. */
    private ProbeResult probedBefore;
    private volatile boolean cancelRequested;
    private volatile String budgetExceeded;
    private RunReport report;
    private StepOutcome.Finished outcome;

    private Rollout(ClusterSpec spec, RolloutContext context, Path runDir, Journal<RunEvent> journal,
            String runId, String owner, String host, String lockPath) {
        this.spec = spec;
        this.context = context;
        this.runDir = runDir;
        this.journal = journal;
        this.state = new RunState(new FenceLedger(spec.policy().maxUnavailable(), spec.groups()));
        this.lockedNodes = spec.nodes().stream().map(NodeSpec::name).toList();
        this.remote = new Remote(spec, context.sessions(), this::emit, context.clock());
        AtomicInteger threads = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(Math.max(1, Math.min(spec.ssh().parallelism(), spec.nodes().size() + 2)),
                r -> {
                    Thread t = new Thread(r, "ha-upgrade-" + spec.name() + "-" + threads.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        var checkRunner = remote.checkRunner(this::varsFor);
        this.inspector = new NodeInspector(spec, checkRunner);
        this.gate = new HealthGate(spec, checkRunner, rendering(), pool, context.clock());
        this.lock = new ClusterLock(lockPath == null ? ClusterLock.defaultPath(spec.name()) : lockPath, owner, runId,
                host, spec.policy().timeouts().lock(), remote.lockTransport(), context.clock(), pool);
    }

    /**
     * Starts a new run: journal, lock on the nodes, role and version discovery, the plan. When any of these
     * refuses, the returned rollout is already finished with {@link RunStatus#REFUSED} and nothing was changed.
     */
    public static Rollout start(RolloutRequest request, RolloutContext context) throws IOException {
        Files.createDirectories(request.runDir());
        Path journalFile = request.runDir().resolve(JOURNAL);
        if (Files.exists(journalFile) && Files.size(journalFile) > 0) {
            throw new IOException(request.runDir() + " already holds a run; resume it with --resume " + request.runDir()
                    + ", or choose another run directory");
        }
        Journal<RunEvent> journal = Journal.open(journalFile, RunEvent.class);
        Rollout rollout = new Rollout(request.spec(), context, request.runDir(), journal, request.runId(),
                request.startedBy(), request.host(), request.lockPath());
        rollout.emit(new RunEvent.RunStarted(rollout.now(), request.runId(), request.spec().name(), request.strategy(),
                request.targetVersion(), request.startedBy(), request.host(), false));
        rollout.prepare(request.breakLock(), false);
        return rollout;
    }

    /**
     * Continues the run recorded in {@code runDir}: replays its journal, takes the lock again (same run id), and
     * goes on from the last completed step; a step that started but did not finish is checked before anything else.
     * A run that stopped on a failure or was aborted continues the same way, from the step it stopped at (checked
     * first); a run that succeeded or was refused is over, and its outcome is returned as it was.
     */
    public static Rollout resume(Path runDir, ClusterSpec spec, RolloutContext context, String resumedBy,
            String host, String lockPath, boolean breakLock) throws IOException {
        Path journalFile = runDir.resolve(JOURNAL);
        if (!Files.exists(journalFile)) {
            throw new IOException(runDir + " holds no run (no " + JOURNAL + "); hint: pass the run directory printed "
                    + "when the run started");
        }
        List<RunEvent> events = Journal.read(journalFile, RunEvent.class);
        RunEvent.RunStarted first = events.stream().filter(RunEvent.RunStarted.class::isInstance)
                .map(RunEvent.RunStarted.class::cast).findFirst()
                .orElseThrow(() -> new IOException(journalFile + " does not start with a run-started record"));
        if (!first.cluster().equals(spec.name())) {
            throw new IOException(runDir + " is a run of cluster " + first.cluster() + ", not " + spec.name());
        }
        Journal<RunEvent> journal = Journal.open(journalFile, RunEvent.class);
        Rollout rollout = new Rollout(spec, context, runDir, journal, first.runId(), first.startedBy(),
                host == null ? first.host() : host, lockPath);
        events.forEach(rollout.state::apply);
        rollout.probedBefore = ReportBuilder.probe(events);
        if (rollout.state.finished() && !rollout.state.reopenable()) {
            rollout.outcome = new StepOutcome.Finished(rollout.state.finished.status(),
                    rollout.state.finished.stoppedAt(), rollout.readReport());
            return rollout;
        }
        rollout.emit(new RunEvent.RunStarted(rollout.now(), first.runId(), first.cluster(), first.strategy(),
                first.targetVersion(), resumedBy, rollout.state.host, true));
        rollout.prepare(breakLock, true);
        return rollout;
    }

    // ---------------------------------------------------------------------------------------------------------
    // The driver's API

    /** Runs exactly one step (or applies an answer, or finishes) and says what happened. */
    public synchronized StepOutcome next() {
        if (outcome != null) {
            return outcome;
        }
        if (state.pending != null) {
            if (!now().isBefore(state.pending.deadline())) {
                record(ApprovalDecision.timedOut(state.pending, now()));
            } else {
                return new StepOutcome.AwaitingApproval(state.pending);
            }
        }
        renewLock();
        if (state.stopReason != null) {
            return stop(state.stopStatus, state.stopReason, Set.of(), null);
        }
        if (state.failedStep != null) {
            return applyFailurePolicy(state.failedStep, state.failure);
        }
        if (budgetExceeded != null && state.failedStep == null) {
            String detail = budgetExceeded;
            budgetExceeded = null;
            PlanStep last = lastEndedStep();
            if (last != null) {
                emit(new RunEvent.Warning(now(), null, detail));
                state.failedStep = last;
                state.failure = detail;
                return applyFailurePolicy(last, detail);
            }
        }
        Optional<String> mixedTooLong = mixedTooLong();
        if (mixedTooLong.isPresent()) {
            PlanStep last = lastEndedStep();
            if (last != null) {
                emit(new RunEvent.Warning(now(), null, mixedTooLong.get()));
                state.failedStep = last;
                state.failure = mixedTooLong.get();
                return applyFailurePolicy(last, mixedTooLong.get());
            }
        }
        if (state.inFlight != null) {
            return resolveInDoubt(state.inFlight);
        }
        Optional<PlanStep> next = state.nextStep();
        if (next.isPresent() && atNodeBoundary(next.get())) {
            Optional<StepOutcome> refused = replan("before " + next.get().id());
            if (refused.isPresent()) {
                return refused.get();
            }
            next = state.nextStep();
        }
        if (next.isEmpty()) {
            return finish(RunStatus.SUCCEEDED, null, "every node runs " + state.targetVersion);
        }
        return execute(next.get());
    }

    /**
     * Answers the pending approval. Cheap (no SSH): the answer is journaled and acted on by the next
     * {@link #next()}. Refused when nothing is pending under that id, the answer is not offered, or the approver
     * is not allowed (the one who started the run when another approver is required; not among the submitters).
     */
    public synchronized void decide(ApprovalDecision decision) throws ApprovalRefusedException {
        ApprovalRequest request = state.pending;
        if (request == null || !request.id().equals(decision.requestId())) {
            throw new ApprovalRefusedException("no approval '" + decision.requestId() + "' is pending"
                    + (request == null ? "" : "; pending is '" + request.id() + "'"));
        }
        if (decision.answer() != Answer.TIMED_OUT) {
            if (!request.choices().contains(decision.answer())) {
                throw new ApprovalRefusedException("'" + lower(decision.answer()) + "' is not an answer to '"
                        + request.id() + "'; choose one of " + request.choices().stream().map(Rollout::lower).toList());
            }
            if (decision.by() == null || decision.by().isBlank()) {
                throw new ApprovalRefusedException("an answer to '" + request.id() + "' must name who gives it");
            }
            boolean proceeds = decision.answer() != Answer.ABORT;
            if (proceeds && request.requireOtherApprover() && decision.by().equals(request.startedBy())) {
                throw new ApprovalRefusedException(decision.by() + " started this run and may not approve '"
                        + request.id() + "': the spec requires another approver (policy.approvals.requireOtherApprover)");
            }
            if (proceeds && !request.submitters().isEmpty() && decision.admittedAs() == null
                    && !request.submitters().contains(decision.by())
                    && decision.groups().stream().noneMatch(request.submitters()::contains)) {
                throw new ApprovalRefusedException(decision.by() + " may not approve '" + request.id()
                        + "'; allowed: " + request.submitters());
            }
        }
        record(decision);
    }

    /** Journals an accepted answer (or a timeout); a plan approval step ends with it. */
    private void record(ApprovalDecision decision) {
        ApprovalRequest request = state.pending;
        emit(new RunEvent.ApprovalDecided(now(), decision));
        if (request.point().equals(ON_FAILURE)) {
            return;
        }
        Answer effective = decision.answer() == Answer.TIMED_OUT
                ? (request.onTimeout() == TimeoutAction.PROCEED ? Answer.PROCEED : Answer.ABORT) : decision.answer();
        emit(new RunEvent.StepFinished(now(), request.stepId(),
                effective == Answer.PROCEED ? StepStatus.SUCCEEDED : StepStatus.ABORTED,
                decision.answer() == Answer.TIMED_OUT ? decision.comment()
                        : lower(decision.answer()) + " by " + decision.approver() + (decision.comment() == null ? ""
                        : ": " + decision.comment()), null));
    }

    /**
     * Asks the run to stop at the next safe point (between two commands, between gate attempts, or at once while it
     * waits for an approval); the next {@link #next()} runs the undo the failure policy allows. Thread-safe: for
     * Ctrl-C and the Jenkins abort.
     */
    public void cancel(String by, String reason) {
        if (cancelRequested || outcome != null) {
            return;
        }
        cancelRequested = true;
        synchronized (journal) {
            emit(new RunEvent.CancelRequested(now(), by, reason));
        }
    }

    public boolean cancelRequested() {
        return cancelRequested;
    }

    public Path runDir() {
        return runDir;
    }

    public String runId() {
        return state.runId;
    }

    /** The state rebuilt from the journal: plan, step statuses, fences, pending approval. */
    public RunState state() {
        return state;
    }

    /** The approval the run waits for, if any. */
    public Optional<ApprovalRequest> pendingApproval() {
        return Optional.ofNullable(state.pending);
    }

    /** The final outcome once the run is over. */
    public Optional<StepOutcome.Finished> outcome() {
        return Optional.ofNullable(outcome);
    }

    /**
     * Frees this process's resources (threads, sessions, probe). It does not end the run: an unfinished run keeps
     * its lock and journal and can be resumed; to end it, cancel and call {@link #next()} until it is finished.
     */
    @Override
    public void close() {
        try {
            stopProbe();
        } finally {
            pool.shutdownNow();
            context.sessions().close();
            journal.close();
        }
    }

    /** Stops the probe once and journals what this process measured, for the report and a later stretch. */
    private void stopProbe() {
        if (probe != null && probe.isRunning()) {
            emit(new RunEvent.ProbeMeasured(now(), probe.stop()));
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Start and resume

    private void prepare(boolean breakLock, boolean resumed) {
        connectAll();
        try {
            List<String> takenOver = lock.acquire(lockedNodes, breakLock);
            takenOver.forEach(w -> emit(new RunEvent.Warning(now(), null, "took over the cluster lock of " + w)));
        } catch (LockRefusedException e) {
            refuse(e.getMessage());
            return;
        }
        if (spec.probe() != null) {
            probe = new DowntimeProbe(spec.probe(), spec.policy().timeouts().lock(),
                    probedBefore == null ? Duration.ZERO : probedBefore.totalDowntime(),
                    b -> budgetExceeded = "service downtime went over probe.maxDowntime " + spec.probe().maxDowntime());
            probe.start();
        }
        if (resumed) {
            return;
        }
        Map<String, Role> declared = new LinkedHashMap<>();
        spec.nodes().stream().filter(n -> n.role() != null).forEach(n -> declared.put(n.name(), n.role()));
        Optional<String> problem = discover();
        if (problem.isPresent()) {
            refuse(problem.get());
            return;
        }
        if (inspector.discoversRoles()) {
            List<String> disagree = declared.entrySet().stream()
                    .filter(e -> state.roles.containsKey(e.getKey()) && state.roles.get(e.getKey()) != e.getValue())
                    .map(e -> e.getKey() + " is declared " + lower(e.getValue()) + " but is "
                            + lower(state.roles.get(e.getKey())))
                    .toList();
            if (!disagree.isEmpty()) {
                String message = "declared and discovered roles disagree: " + String.join("; ", disagree);
                if (!spec.policy().trustDiscoveredRoles()) {
                    refuse(message + "; hint: fix the roles in the spec, or set policy.trustDiscoveredRoles: true "
                            + "to follow the live cluster");
                    return;
                }
                emit(new RunEvent.Warning(now(), null, message + "; following the live cluster "
                        + "(policy.trustDiscoveredRoles)"));
            }
        }
        replan("start");
    }

    /** Opens the sessions to all nodes at once (the lock then takes them in order); failures show up there. */
    private void connectAll() {
        List<Callable<Boolean>> connects = new ArrayList<>();
        for (String node : lockedNodes) {
            connects.add(() -> {
                try {
                    context.sessions().session(node);
                    return true;
                } catch (SshException e) {
                    return false;
                }
            });
        }
        all(connects);
    }

    /** Reads roles (or takes the declared ones) and versions of every member; a problem when it cannot. */
    private Optional<String> discover() {
        Map<String, Role> roles = new LinkedHashMap<>();
        Map<String, String> versions = new LinkedHashMap<>();
        List<Callable<Optional<String>>> reads = new ArrayList<>();
        List<String> members = clusterMembers();
        for (String node : members) {
            reads.add(() -> {
                try {
                    Optional<Role> role = inspector.role(node);
                    Optional<String> version = inspector.version(node);
                    synchronized (roles) {
                        role.or(() -> Optional.ofNullable(spec.node(node).role())).ifPresent(r -> roles.put(node, r));
                        version.ifPresent(v -> versions.put(node, v));
                    }
                    return Optional.empty();
                } catch (SshException e) {
                    return Optional.of(node + " unreachable: " + e.getMessage());
                } catch (NodeInspector.InspectionException e) {
                    return Optional.of(e.getMessage());
                }
            });
        }
        List<String> problems = new ArrayList<>();
        for (Optional<String> p : all(reads)) {
            p.ifPresent(problems::add);
        }
        if (!problems.isEmpty()) {
            return Optional.of("cannot read the live cluster: " + String.join("; ", problems));
        }
        Map<String, Role> ordered = new LinkedHashMap<>();
        Map<String, String> orderedVersions = new LinkedHashMap<>();
        for (String node : members) {
            if (roles.containsKey(node)) {
                ordered.put(node, roles.get(node));
            }
            if (versions.containsKey(node)) {
                orderedVersions.put(node, versions.get(node));
            }
        }
        emit(new RunEvent.RolesDiscovered(now(), ordered, orderedVersions,
                inspector.discoversRoles() ? "discovered" : "declared"));
        return Optional.empty();
    }

    /**
     * A green gate that just ran read every member's role and version, and nothing ran on any node since: those are
     * the live roles, read again only if the gate missed a node.
     */
    private boolean reuseGateView() {
        GateResult g = state.lastGate;
        if (!state.gateViewFresh || g == null) {
            return false;
        }
        List<String> members = clusterMembers();
        boolean complete = members.stream().allMatch(n -> (!inspector.discoversRoles() || g.roles().containsKey(n))
                && (!inspector.discoversVersions() || g.versions().containsKey(n)));
        if (!complete) {
            return false;
        }
        Map<String, Role> roles = new LinkedHashMap<>();
        Map<String, String> versions = new LinkedHashMap<>();
        for (String node : members) {
            if (g.roles().containsKey(node)) {
                roles.put(node, g.roles().get(node));
            } else if (spec.node(node).role() != null) {
                roles.put(node, spec.node(node).role());
            }
            if (g.versions().containsKey(node)) {
                versions.put(node, g.versions().get(node));
            }
        }
        emit(new RunEvent.RolesDiscovered(now(), roles, versions, "discovered by the last gate"));
        return true;
    }

    /** Plans the remaining work with the live roles; steps already done keep their ids and are skipped. */
    private Optional<StepOutcome> replan(String why) {
        boolean first = state.plan.isEmpty();
        if (!first) {
            if (!inspector.discoversRoles() && !inspector.discoversVersions()) {
                return Optional.empty();
            }
            if (!reuseGateView()) {
                Optional<String> problem = discover();
                if (problem.isPresent()) {
                    return Optional.of(failBeforeNode(problem.get()));
                }
            }
        }
        Set<String> upgraded = new LinkedHashSet<>(state.upgraded());
        // In a replace rollout an old node's work is done when it has left.
        upgraded.addAll(state.left);
        state.versions.forEach((node, version) -> {
            if (version.equals(state.targetVersion) && !state.ledger.isFenced(node)) {
                upgraded.add(node);
            }
        });
        String current = state.versions.values().stream().filter(v -> !v.equals(state.targetVersion)).findFirst()
                .orElse(spec.currentVersion());
        Plan plan;
        try {
            plan = Planner.plan(new PlanRequest(spec, state.strategy, state.targetVersion, current, state.roles, upgraded,
                    state.originalPrimary));
        } catch (PlanException e) {
            String message = "plan refused: " + e.format();
            if (first) {
                refuse(message);
                return Optional.of(outcome);
            }
            return Optional.of(failBeforeNode(message));
        }
        if (first || !plan.stepIds().equals(state.plan.stream().map(PlanStep::id).toList())) {
            emit(new RunEvent.Planned(now(), plan.steps(), first ? "initial plan" : "planned again " + why
                    + " with live roles " + state.roles, plan.mixedVersionWindow(),
                    plan.expectedDowntime()));
        }
        return Optional.empty();
    }

    /** A problem at a node boundary: nothing is fenced, so the run stops without touching another node. */
    private StepOutcome failBeforeNode(String message) {
        emit(new RunEvent.Warning(now(), null, message));
        return stop(RunStatus.FAILED, message, Set.of(), null);
    }

    private void refuse(String message) {
        emit(new RunEvent.Warning(now(), null, message));
        finish(RunStatus.REFUSED, message, "refused: " + message);
    }

    /** Before the first step that touches a node not touched yet, with no node out of service. */
    private boolean atNodeBoundary(PlanStep step) {
        if (state.ledger.size() > 0 || step.nodes().isEmpty()) {
            return false;
        }
        boolean nodeStep = step.kind() == StepKind.NODE_PHASE || step.kind() == StepKind.HOOK
                || step.kind() == StepKind.SWITCHOVER;
        return nodeStep && step.nodes().stream().noneMatch(state.begun::contains);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Steps

    private StepOutcome execute(PlanStep step) {
        if (step.kind() == StepKind.APPROVAL) {
            emit(new RunEvent.StepStarted(now(), step));
            return requestApproval(step.id(), kebab(step.approval()), step.description(),
                    List.of(Answer.PROCEED, Answer.ABORT));
        }
        if (step.kind() == StepKind.NODE_PHASE && step.phase() == Phase.FENCE) {
            // full-stop takes every node down on purpose: its plan states the downtime instead of keeping limits.
            Optional<String> refusal = strategy() == Strategy.FULL_STOP ? Optional.empty()
                    : state.ledger.refusal(step.nodes());
            if (refusal.isPresent()) {
                return stop(RunStatus.FAILED, "refused to fence: " + refusal.get(), Set.of(), null);
            }
            if (!state.gateGreen) {
                GateResult green = runGate(step.id() + ":gate", "gate before fencing " + step.nodes());
                if (!green.healthy()) {
                    return stop(RunStatus.FAILED, "not fencing " + step.nodes() + ": the cluster is not healthy: "
                            + green.summary(), Set.of(), null);
                }
            }
        }
        emit(new RunEvent.StepStarted(now(), step));
        PhaseResult result = run(step);
        emit(new RunEvent.StepFinished(now(), step.id(), result.status(), result.detail(), result.exitCode()));
        if (probe != null) {
            emit(new RunEvent.ProbeMeasured(now(), probe.snapshot()));
        }
        if (result.ok()) {
            return new StepOutcome.Continue(step, StepStatus.SUCCEEDED, result.detail());
        }
        if (result.cancelled() || cancelRequested) {
            return stop(RunStatus.ABORTED, state.stopReason != null ? state.stopReason : result.detail(), Set.of(),
                    null);
        }
        if (step.kind() == StepKind.GATE && state.begun.isEmpty() && state.ledger.size() == 0) {
            refuse("preflight gate is red: " + result.detail());
            return outcome;
        }
        return applyFailurePolicy(step, result.detail());
    }

    private PhaseResult run(PlanStep step) {
        activity(step);
        try {
            return switch (step.kind()) {
                case GATE -> {
                    GateResult r = runGate(step.id(), step.description());
                    yield r.healthy() ? PhaseResult.success(r.summary())
                            : cancelRequested ? PhaseResult.cancelled("cancelled while waiting for " + r.summary())
                            : PhaseResult.failure(r.summary(), null, false);
                }
                case HOOK -> runHook(step);
                case NODE_PHASE -> runNodePhase(step);
                case SWITCHOVER, FAILBACK -> runSwitchover(step);
                case APPROVAL -> PhaseResult.success("approved");
            };
        } finally {
            activityEnded(step);
        }
    }

    private PhaseResult runHook(PlanStep step) {
        List<CommandSpec> commands = step.hook().commandsIn(spec.hooks());
        boolean clusterHook = step.nodes().isEmpty();
        String subject = clusterHook ? primaryOr(clusterMembers().get(0)) : step.nodes().get(0);
        // A cluster hook runs once, on the primary unless it says otherwise, with no node's variables.
        return remote.run(step.id(), "hook " + step.hook().label(), spec.node(subject), commands,
                varsFor(clusterHook ? null : subject), primary(), this::cancelled);
    }

    private PhaseResult runNodePhase(PlanStep step) {
        Phase phase = step.phase();
        if (phase == Phase.FENCE) {
            step.nodes().forEach(n -> emit(new RunEvent.FenceChanged(now(), n, true, step.id(), "fenced by " + step.id())));
        }
        List<PhaseResult> results = onEachNode(step.nodes(), node -> {
            NodeSpec nodeSpec = spec.node(node);
            String bootBefore = phase == Phase.REBOOT ? bootId(node) : null;
            PhaseResult r = remote.run(step.id(), lower(phase), nodeSpec, spec.commandsFor(nodeSpec, phase),
                    varsFor(node), primary(), this::cancelled);
            if (phase == Phase.REBOOT && (r.ok() || r.unreachable())) {
                // A reboot may take the connection down under its own command: that is the expected outcome.
                return awaitReboot(node, bootBefore);
            }
            if (!r.ok()) {
                return r;
            }
            if (phase == Phase.VERIFY) {
                return verifyHealth(step.id(), node);
            }
            return r;
        });
        Optional<PhaseResult> failed = results.stream().filter(r -> !r.ok()).findFirst();
        if (failed.isPresent()) {
            return failed.get();
        }
        if (phase == Phase.UNFENCE) {
            step.nodes().forEach(n -> emit(new RunEvent.FenceChanged(now(), n, false, step.id(), "unfenced")));
        }
        return PhaseResult.success(results.stream().map(PhaseResult::detail).collect(Collectors.joining("; ")));
    }

    /** Node checks on one node until green (bounded by health.timeout), and the version is the target. */
    private PhaseResult verifyHealth(String stepId, String node) {
        GateScope scope = new GateScope(List.of(node), Set.of(), Map.of(node, state.targetVersion), false);
        try {
            GateResult r = gate.awaitHealthy(scope, spec.health().interval(), spec.health().timeout(),
                    a -> emit(new RunEvent.GateAttempted(now(), stepId, a)), this::cancelled);
            if (!inspector.discoversVersions()) {
                emit(new RunEvent.Warning(now(), node, "cannot check that " + node + " runs " + state.targetVersion
                        + ": the spec has no discovery.version"));
            }
            return r.healthy() ? PhaseResult.success(node + " verified: " + r.summary())
                    : PhaseResult.failure("verify on " + node + ": " + r.summary(), null, false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return PhaseResult.cancelled("interrupted while verifying " + node);
        }
    }

    /**
     * The node's boot id before its reboot, or null (with a warning) when it cannot be read: then the reboot
     * counts as over as soon as SSH answers, which a node still shutting down may do.
     */
    private String bootId(String node) {
        String command = spec.discovery().bootId();
        try {
            CommandResult r = remote.exec(node, command, Duration.ofSeconds(30));
            if (r.exitCode() == 0 && !r.stdout().isBlank()) {
                return r.stdout().strip();
            }
            emit(new RunEvent.Warning(now(), node, "cannot read the boot id of " + node + " (" + command + ": exit "
                    + r.exitCode() + "): its reboot counts as over once SSH answers; set discovery.bootId"));
        } catch (SshException e) {
            emit(new RunEvent.Warning(now(), node, "cannot read the boot id of " + node + ": " + e.getMessage()
                    + ": its reboot counts as over once SSH answers"));
        }
        return null;
    }

    /**
     * After a reboot command: waits until the node answers over SSH with another boot id than {@code bootBefore}
     * (any answer when it is null), bounded by timeouts.reboot.
     */
    private PhaseResult awaitReboot(String node, String bootBefore) {
        context.sessions().discard(node);
        Duration limit = spec.policy().timeouts().reboot();
        Instant start = now();
        Instant lastReport = start;
        Duration pause = Duration.ofMillis(Math.min(1000, Math.max(50, spec.health().interval().toMillis())));
        String command = bootBefore == null ? "true" : spec.discovery().bootId();
        boolean answeredWithOldBoot = false;
        while (true) {
            try {
                CommandResult r = remote.exec(node, command, Duration.ofSeconds(30));
                if (r.exitCode() == 0 && (bootBefore == null || !r.stdout().strip().equals(bootBefore))) {
                    return PhaseResult.success(node + " answers again after " + Duration.between(start, now())
                            + (bootBefore == null ? "" : ", booted anew"));
                }
                answeredWithOldBoot |= r.exitCode() == 0;
            } catch (SshException e) {
                // Going down or not up yet: the session is gone; the next attempt connects anew.
                context.sessions().discard(node);
            }
            Duration soFar = Duration.between(start, now());
            if (soFar.compareTo(limit) >= 0) {
                return PhaseResult.failure(node + (answeredWithOldBoot
                        ? " still runs the boot it had before its reboot (boot id " + bootBefore + ") after " + limit
                                + ": the reboot commands did not reboot it"
                        : " did not answer over SSH within " + limit + " after its reboot"), null, true);
            }
            if (reportDue(lastReport, limit)) {
                emit(new RunEvent.WaitingFor(now(), node, "SSH on " + node + " after reboot", soFar, limit));
                lastReport = now();
            }
            if (!sleep(pause)) {
                return PhaseResult.cancelled("interrupted while waiting for " + node + " to reboot");
            }
        }
    }

    /** Moves the primary role from nodes[0] to nodes[1] and waits until the live roles say so. */
    private PhaseResult runSwitchover(PlanStep step) {
        String from = step.nodes().get(0);
        String to = step.nodes().get(1);
        Phase phase = step.kind() == StepKind.FAILBACK ? Phase.FAILBACK : Phase.SWITCHOVER;
        NodeSpec fromSpec = spec.node(from);
        Variables vars = varsFor(from).withPeer(spec.node(to));
        PhaseResult r = remote.run(step.id(), lower(phase), fromSpec, spec.commandsFor(fromSpec, phase), vars, from,
                this::cancelled);
        if (!r.ok() || !inspector.discoversRoles()) {
            return r;
        }
        Duration limit = spec.policy().timeouts().switchover();
        Instant start = now();
        Instant lastReport = start;
        String seen = "";
        while (true) {
            try {
                Optional<Role> role = inspector.role(to);
                Optional<Role> old = inspector.role(from);
                if (role.orElse(null) == Role.PRIMARY && old.orElse(null) != Role.PRIMARY) {
                    Map<String, Role> roles = new LinkedHashMap<>(state.roles);
                    roles.put(from, Role.STANDBY);
                    roles.put(to, Role.PRIMARY);
                    emit(new RunEvent.RolesDiscovered(now(), roles, state.versions, "discovered"));
                    return PhaseResult.success(to + " is primary after " + Duration.between(start, now()).toMillis() + " ms");
                }
                seen = to + " is " + role.map(Rollout::lower).orElse("?") + ", " + from + " is "
                        + old.map(Rollout::lower).orElse("?");
            } catch (SshException | NodeInspector.InspectionException e) {
                seen = e.getMessage();
            }
            Duration soFar = Duration.between(start, now());
            if (soFar.compareTo(limit) >= 0) {
                return PhaseResult.failure(lower(phase) + " " + from + " -> " + to + ": " + to
                        + " did not become primary within " + limit + " (" + seen + ")", null, true);
            }
            if (reportDue(lastReport, limit)) {
                emit(new RunEvent.WaitingFor(now(), to, to + " to become primary (" + seen + ")", soFar, limit));
                lastReport = now();
            }
            if (cancelled() || !sleep(Duration.ofMillis(Math.min(500, spec.health().interval().toMillis())))) {
                return PhaseResult.cancelled("cancelled while waiting for " + to + " to become primary");
            }
        }
    }

    private GateResult runGate(String stepId, String description) {
        Instant started = now();
        Set<String> fenced = new LinkedHashSet<>(state.ledger.nodes());
        Map<String, String> expected = new HashMap<>();
        state.upgraded().forEach(n -> expected.put(n, state.targetVersion));
        GateScope scope = new GateScope(clusterMembers(), fenced, expected, true);
        Instant[] lastReport = {started};
        GateResult result;
        try {
            result = gate.awaitHealthy(scope, spec.health().interval(), spec.health().timeout(), attempt -> {
                emit(new RunEvent.GateAttempted(now(), stepId, attempt));
                if (!attempt.healthy() && reportDue(lastReport[0], spec.health().timeout())) {
                    emit(new RunEvent.WaitingFor(now(), null, "cluster health: " + attempt.summary(),
                            Duration.between(started, now()), spec.health().timeout()));
                    lastReport[0] = now();
                }
            }, this::cancelled);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result = new GateResult(false, 0, started, Duration.between(started, now()), Map.of(), Map.of(), List.of(),
                    List.of("interrupted"));
        }
        emit(new RunEvent.GateFinished(now(), stepId, description, started, result));
        return result;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Approvals

    private StepOutcome requestApproval(String stepId, String point, String message, List<Answer> choices) {
        Approvals approvals = spec.policy().approvals();
        Instant at = now();
        String id = stepId + (point.equals(ON_FAILURE) ? "#" + at.toEpochMilli() : "");
        // Nothing renews the lock while a person decides; the validator keeps approvals.timeout below its expiry.
        lock.renew().forEach(problem -> emit(new RunEvent.Warning(now(), null, problem)));
        Duration downtime = probe == null ? null : probe.snapshot().totalDowntime()
                .plus(probedBefore == null ? Duration.ZERO : probedBefore.totalDowntime());
        ApprovalRequest request = new ApprovalRequest(id, stepId, point, message, choices, at,
                at.plus(approvals.timeout()), approvals.onTimeout(), state.startedBy, approvals.requireOtherApprover(),
                approvals.submitters(), new ApprovalRequest.Evidence(state.lastGate, latest(state.versions,
                state.lastGate == null ? null : state.lastGate.versions()), latest(state.roles,
                state.lastGate == null ? null : state.lastGate.roles()), state.ledger.nodes(), downtime));
        emit(new RunEvent.ApprovalRequested(at, request));
        return new StepOutcome.AwaitingApproval(request);
    }

    /** What the last gate read, where it read it; else what discovery read. */
    private static <V> Map<String, V> latest(Map<String, V> discovered, Map<String, V> fromGate) {
        Map<String, V> merged = new LinkedHashMap<>(discovered);
        if (fromGate != null) {
            merged.putAll(fromGate);
        }
        return merged;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Failure, stop, finish

    private StepOutcome applyFailurePolicy(PlanStep step, String detail) {
        FailureAction action = spec.policy().onFailure();
        Set<String> nodes = new LinkedHashSet<>(step.nodes());
        String where = "step " + step.id() + ": " + detail;
        switch (action) {
            case PAUSE -> {
                return requestApproval(step.id(), ON_FAILURE, "FAILED " + where + ". Nothing else is touched until you"
                        + " answer: retry the step, skip it (go on as if it had succeeded) or abort"
                        + (state.ledger.size() == 0 ? "" : " (fenced now: " + state.ledger.nodes() + ")"),
                        List.of(Answer.RETRY, Answer.SKIP, Answer.ABORT));
            }
            case ROLLBACK -> {
                Set<String> toRollBack = new LinkedHashSet<>();
                for (String node : nodes) {
                    if (state.ledger.isFenced(node) && state.upgradeBegun.contains(node)) {
                        toRollBack.add(node);
                    }
                }
                for (String node : toRollBack) {
                    rollBack(node, detail);
                }
                return stop(RunStatus.FAILED, where, Set.of(), null);
            }
            default -> {
                return stop(RunStatus.FAILED, where, nodes, "on-failure abort: left fenced after " + where);
            }
        }
    }

    /** Rollback (or restore), node verify commands, unfence if that went well; otherwise the fence is held. */
    private void rollBack(String node, String why) {
        NodeSpec nodeSpec = spec.node(node);
        Phase phase = !spec.commandsFor(nodeSpec, Phase.ROLLBACK).isEmpty() ? Phase.ROLLBACK : Phase.RESTORE;
        List<CommandSpec> commands = spec.commandsFor(nodeSpec, phase);
        if (commands.isEmpty()) {
            hold(node, "rollback wanted after " + why + " but the spec has no rollback or restore commands");
            return;
        }
        PhaseResult r = runSynthetic(node, phase);
        if (!r.ok()) {
            hold(node, "rollback failed: " + r.detail());
            return;
        }
        if (!startIfStopped(node)) {
            return;
        }
        PhaseResult verify = runSynthetic(node, Phase.VERIFY);
        if (!verify.ok()) {
            hold(node, "rolled back but its verify commands failed: " + verify.detail());
            return;
        }
        PhaseResult unfence = runSynthetic(node, Phase.UNFENCE);
        if (!unfence.ok()) {
            hold(node, "rolled back but unfence failed: " + unfence.detail());
        }
    }

    /**
     * A node whose service a stop step took down (full-stop) gets its start commands before it is unfenced; false
     * when they failed and the node is held.
     */
    private boolean startIfStopped(String node) {
        if (!state.stopped.contains(node)) {
            return true;
        }
        PhaseResult start = runSynthetic(node, Phase.START);
        if (!start.ok()) {
            hold(node, "its service was stopped and starting it again failed: " + start.detail());
        }
        return start.ok();
    }

    /** A phase the plan does not list (rollback, the undo of a fence), journaled like a plan step. */
    private PhaseResult runSynthetic(String node, Phase phase) {
        PlanStep step = new PlanStep(0, "node:" + node + ":" + lower(phase) + "#" + now().toEpochMilli(),
                StepKind.NODE_PHASE, List.of(node), phase, null, lower(phase) + " " + node + " (failure policy)", null);
        emit(new RunEvent.StepStarted(now(), step));
        activity(step);
        NodeSpec nodeSpec = spec.node(node);
        PhaseResult r = remote.run(step.id(), lower(phase), nodeSpec, spec.commandsFor(nodeSpec, phase), varsFor(node),
                primary(), () -> false);
        activityEnded(step);
        emit(new RunEvent.StepFinished(now(), step.id(), r.status(), r.detail(), r.exitCode()));
        if (r.ok() && phase == Phase.UNFENCE) {
            emit(new RunEvent.FenceChanged(now(), node, false, step.id(), "unfenced by the failure policy"));
        }
        return r;
    }

    private void hold(String node, String reason) {
        NodeSpec held = spec.node(node);
        emit(new RunEvent.FenceHeld(now(), node, reason,
                remote.asWritten(spec.commandsFor(held, Phase.UNFENCE), held, varsFor(node), primary())));
    }

    /**
     * Ends the run at a safe point: every fenced node is brought back when that is safe (its upgrade did not start,
     * or it was verified; or rolled back under policy rollback), else left fenced and reported with why.
     */
    private StepOutcome stop(RunStatus status, String why, Set<String> hold, String holdReason) {
        String stoppedAt = why + where();
        for (String node : state.ledger.nodes()) {
            if (state.held.containsKey(node)) {
                continue;
            }
            if (hold.contains(node)) {
                hold(node, holdReason);
            } else if (!state.upgradeBegun.contains(node) || state.verified.contains(node)) {
                if (!startIfStopped(node)) {
                    continue;
                }
                PhaseResult r = runSynthetic(node, Phase.UNFENCE);
                if (!r.ok()) {
                    hold(node, "undoing the fence failed: " + r.detail());
                }
            } else if (spec.policy().onFailure() == FailureAction.ROLLBACK) {
                rollBack(node, stoppedAt);
            } else {
                hold(node, "its upgrade started but was not verified when the run stopped (" + stoppedAt
                        + "); on-failure " + lower(spec.policy().onFailure()) + " leaves it fenced");
            }
        }
        boolean beforeAllRan = state.status.entrySet().stream().anyMatch(e -> e.getKey().equals("hook:before-all")
                && e.getValue().done());
        if (beforeAllRan && state.held.isEmpty() && !spec.hooks().afterAll().isEmpty()
                && !state.isDone("hook:after-all")) {
            String subject = primaryOr(clusterMembers().get(0));
            remote.run("hook:after-all", "hook after-all", spec.node(subject), spec.hooks().afterAll(),
                    varsFor(null), primary(), () -> false);
        }
        return finish(status, stoppedAt, summary(status, stoppedAt));
    }

    private PlanStep lastEndedStep() {
        return state.everyStep.values().stream().filter(s -> state.status.containsKey(s.id())).reduce((a, b) -> b)
                .orElse(null);
    }

    /** compatibility.maxMixedWindow, enforced between steps: old and new versions serve together no longer. */
    private Optional<String> mixedTooLong() {
        Duration limit = spec.compatibility().maxMixedWindow();
        Plan.MixedVersionWindow window = state.mixedWindow;
        if (limit == null || state.mixedSince == null || window == null || state.isDone(window.endsAfter())
                || state.failedStep != null || state.mixedWindowExceeded) {
            return Optional.empty();
        }
        Duration mixed = Duration.between(state.mixedSince, now());
        return mixed.compareTo(limit) > 0
                ? Optional.of(MIXED_TOO_LONG + mixed.toMillis() + " ms, longer than compatibility.maxMixedWindow "
                        + limit)
                : Optional.empty();
    }

    /** Where the run is: the last step that ended and the next one, for the record of where it stopped. */
    private String where() {
        String last = null;
        for (PlanStep step : state.plan) {
            if (state.status.containsKey(step.id())) {
                last = step.id() + " " + lower(state.status.get(step.id()));
            }
        }
        String next = state.nextStep().map(PlanStep::id).orElse(null);
        if (last == null && next == null) {
            return "";
        }
        return " (" + (last == null ? "no step ran" : "last step: " + last) + (next == null ? "" : "; next: " + next)
                + ")";
    }

    private StepOutcome.Finished finish(RunStatus status, String stoppedAt, String summary) {
        stopProbe();
        for (String problem : lock.release()) {
            emit(new RunEvent.Warning(now(), null, "could not release the cluster lock on " + problem));
        }
        emit(new RunEvent.RunFinished(now(), status, stoppedAt, summary));
        report = writeReport();
        outcome = new StepOutcome.Finished(status, stoppedAt, report);
        return outcome;
    }

    private String summary(RunStatus status, String stoppedAt) {
        String held = state.held.isEmpty() ? "" : "; STILL FENCED: " + state.held.entrySet().stream()
                .map(e -> e.getKey() + " (" + e.getValue() + ")").collect(Collectors.joining(", "));
        String outcome = lower(status);
        // "failed at step node:n2:upgrade: ...", but "aborted by alice at ..." and "failed: not fencing ...".
        String head = stoppedAt == null ? outcome : stoppedAt.startsWith(outcome + " ") ? stoppedAt
                : outcome + (stoppedAt.startsWith("step ") ? " at " : ": ") + stoppedAt;
        return head + held;
    }

    private RunReport writeReport() {
        try {
            List<RunEvent> events = Journal.read(journal.file(), RunEvent.class);
            RunReport built = ReportBuilder.build(spec, events);
            ReportWriter.write(built, runDir);
            return built;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report to " + runDir.resolve(REPORT), e);
        }
    }

    private RunReport readReport() {
        Path file = runDir.resolve(REPORT);
        if (Files.exists(file)) {
            return ReportJson.read(file);
        }
        return writeReport();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Resume

    /**
     * A step that started but has no end in the journal (the process died in it). What it did is unknown, so it is
     * checked: an upgrade is done when the node runs the target version; a switchover when the peer is primary;
     * gates, verify and steps whose commands are all idempotent are simply run again; anything else is put to a
     * person (retry, skip or abort).
     */
    private StepOutcome resolveInDoubt(PlanStep step) {
        String why = "resumed: " + step.id() + " started but did not finish";
        if (step.kind() == StepKind.NODE_PHASE && step.phase() == Phase.UPGRADE && inspector.discoversVersions()) {
            Map<String, String> seen = new LinkedHashMap<>();
            for (String node : step.nodes()) {
                try {
                    seen.put(node, inspector.version(node).orElse("?"));
                } catch (SshException | NodeInspector.InspectionException e) {
                    seen.put(node, "unreadable (" + e.getMessage() + ")");
                }
            }
            if (seen.values().stream().allMatch(v -> v.equals(state.targetVersion))) {
                emit(new RunEvent.StepFinished(now(), step.id(), StepStatus.ALREADY_DONE, why + "; " + seen
                        + " already at " + state.targetVersion + ": checked, not run again", null));
                return new StepOutcome.Continue(step, StepStatus.ALREADY_DONE, "already at the target version");
            }
            emit(new RunEvent.Warning(now(), null, why + "; versions " + seen + ": running it again"));
            state.inFlight = null;
            return execute(step);
        }
        if ((step.kind() == StepKind.SWITCHOVER || step.kind() == StepKind.FAILBACK) && inspector.discoversRoles()) {
            try {
                if (inspector.role(step.nodes().get(1)).orElse(null) == Role.PRIMARY) {
                    emit(new RunEvent.StepFinished(now(), step.id(), StepStatus.ALREADY_DONE, why + "; "
                            + step.nodes().get(1) + " is primary already", null));
                    return new StepOutcome.Continue(step, StepStatus.ALREADY_DONE, "already switched");
                }
            } catch (SshException | NodeInspector.InspectionException e) {
                emit(new RunEvent.Warning(now(), null, why + "; cannot read roles: " + e.getMessage()));
            }
        }
        boolean safeToRepeat = step.kind() == StepKind.GATE || step.kind() == StepKind.APPROVAL
                || step.kind() == StepKind.NODE_PHASE && step.phase() == Phase.VERIFY
                || commandsOf(step).stream().allMatch(c -> c.idempotent() != null && c.idempotent());
        if (safeToRepeat) {
            emit(new RunEvent.Warning(now(), null, why + "; safe to repeat: running it again"));
            state.inFlight = null;
            return execute(step);
        }
        emit(new RunEvent.StepFinished(now(), step.id(), StepStatus.FAILED, why + "; its outcome is unknown and its "
                + "commands are not marked idempotent", null));
        return requestApproval(step.id(), ON_FAILURE, why + ". Its outcome is unknown. Check the node"
                + (step.nodes().isEmpty() ? "" : "s " + step.nodes()) + ", then retry the step, skip it (it did "
                + "complete) or abort", List.of(Answer.RETRY, Answer.SKIP, Answer.ABORT));
    }

    private List<CommandSpec> commandsOf(PlanStep step) {
        return switch (step.kind()) {
            case HOOK -> step.hook().commandsIn(spec.hooks());
            case NODE_PHASE -> step.nodes().stream().flatMap(n -> spec.commandsFor(spec.node(n), step.phase()).stream())
                    .toList();
            case SWITCHOVER -> spec.commandsFor(spec.node(step.nodes().get(0)), Phase.SWITCHOVER);
            case FAILBACK -> spec.commandsFor(spec.node(step.nodes().get(0)), Phase.FAILBACK);
            default -> List.of();
        };
    }

    // ---------------------------------------------------------------------------------------------------------
    // Helpers

    private void emit(RunEvent event) {
        synchronized (journal) {
            state.apply(event);
            if (event.durable()) {
                journal.append(event);
            }
        }
        context.listener().on(event);
    }

    private boolean cancelled() {
        return cancelRequested || Thread.currentThread().isInterrupted();
    }

    private void renewLock() {
        for (String problem : lock.renewIfDue()) {
            emit(new RunEvent.Warning(now(), null, problem));
        }
    }

    private Strategy strategy() {
        return state.strategy != null ? state.strategy : spec.policy().strategy();
    }

    /**
     * The nodes in the cluster now: the spec's members that have not left in this run and the incoming nodes that
     * have joined (replace). Discovery and gates look at these; the lock is on every node of the spec from the start.
     */
    private List<String> clusterMembers() {
        return spec.nodes().stream()
                .filter(n -> n.membership() == Membership.MEMBER ? !state.left.contains(n.name())
                        : state.joined.contains(n.name()))
                .map(NodeSpec::name).toList();
    }

    private Instant now() {
        return context.clock().instant();
    }

    private String primary() {
        return state.roles.entrySet().stream().filter(e -> e.getValue() == Role.PRIMARY).map(Map.Entry::getKey)
                .findFirst().orElse(null);
    }

    private String primaryOr(String fallback) {
        String p = primary();
        return p == null ? fallback : p;
    }

    private Variables varsFor(String node) {
        if (baseVars == null) {
            Variables v = Variables.forCluster(spec);
            if (state.targetVersion != null) {
                v = v.withTargetVersion(state.targetVersion);
            }
            baseVars = v;
        }
        Variables v = baseVars;
        String current = state.versionsBefore == null || node == null ? null : state.versionsBefore.get(node);
        if (current != null) {
            v = v.withCurrentVersion(current);
        }
        if (node != null && spec.nodes().stream().anyMatch(n -> n.name().equals(node))) {
            v = v.withNode(spec.node(node), state.roles.get(node));
            if (state.ledger.isFenced(node)) {
                v = v.withNodeFenced();
            }
        }
        String p = primary();
        if (p != null) {
            v = v.withPrimary(spec.node(p));
        }
        return v;
    }

    private Rendering rendering() {
        return Rendering.of(spec, this::varsFor);
    }

    private interface NodeWork {
        PhaseResult on(String node);
    }

    /** Runs the work on every node of a batch, in parallel when there are several. */
    private List<PhaseResult> onEachNode(List<String> nodes, NodeWork work) {
        if (nodes.size() == 1) {
            return List.of(work.on(nodes.get(0)));
        }
        List<Callable<PhaseResult>> tasks = nodes.stream().<Callable<PhaseResult>>map(n -> () -> work.on(n)).toList();
        return all(tasks);
    }

    private <T> List<T> all(List<Callable<T>> tasks) {
        try {
            List<T> out = new ArrayList<>();
            for (Future<T> f : pool.invokeAll(tasks)) {
                out.add(f.get());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while working on the nodes of " + spec.name(), e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("work on a node of " + spec.name() + " crashed: " + e.getCause(), e.getCause());
        }
    }

    private void activity(PlanStep step) {
        if (probe == null) {
            return;
        }
        String phase = step.phase() != null ? lower(step.phase()) : lower(step.kind());
        if (step.nodes().isEmpty()) {
            probe.activityStarted("cluster", phase);
        } else {
            step.nodes().forEach(n -> probe.activityStarted(n, phase));
        }
    }

    private void activityEnded(PlanStep step) {
        if (probe == null) {
            return;
        }
        if (step.nodes().isEmpty()) {
            probe.activityEnded("cluster");
        } else {
            step.nodes().forEach(probe::activityEnded);
        }
    }

    private boolean reportDue(Instant lastReport, Duration limit) {
        Duration every = limit.dividedBy(4);
        every = every.compareTo(WAIT_REPORT_EVERY) > 0 ? WAIT_REPORT_EVERY
                : every.compareTo(WAIT_REPORT_MIN) < 0 ? WAIT_REPORT_MIN : every;
        return Duration.between(lastReport, now()).compareTo(every) >= 0;
    }

    private boolean sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static String lower(Enum<?> value) {
        return value == null ? null : value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static String kebab(ApprovalPoint point) {
        return Objects.requireNonNull(lower(point), "approval point");
    }
}
