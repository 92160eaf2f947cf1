package io.haupgrade.execute;

import io.haupgrade.execute.ApprovalDecision.Answer;
import io.haupgrade.health.GateResult;
import io.haupgrade.plan.Plan;
import io.haupgrade.plan.PlanStep;
import io.haupgrade.plan.StepKind;
import io.haupgrade.spec.Phase;
import io.haupgrade.spec.Role;
import io.haupgrade.spec.Strategy;
import io.haupgrade.spec.TimeoutAction;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Everything a run needs to go on, derived only from its events: applied live as they happen and replayed from
 * the journal on resume, so a fresh process knows exactly what the dead one knew.
 */
public final class RunState {
    String runId;
    String cluster;
    Strategy strategy;
    String targetVersion;
    String startedBy;
    String host;
    Instant startedAt;
    Map<String, Role> roles = Map.of();
    Map<String, String> versions = Map.of();
    Map<String, Role> rolesBefore;
    Map<String, String> versionsBefore;
    String originalPrimary;
    List<PlanStep> plan = List.of();
    final Map<String, PlanStep> everyStep = new LinkedHashMap<>();
    final Map<String, StepStatus> status = new HashMap<>();
    PlanStep inFlight;
    final FenceLedger ledger;
    final Set<String> begun = new LinkedHashSet<>();
    final Set<String> upgradeBegun = new LinkedHashSet<>();
    final Set<String> verified = new LinkedHashSet<>();
    final Set<String> alreadyCurrent = new LinkedHashSet<>();
    /** Incoming nodes whose join step is done, and members whose leave step is done (replace). */
    final Set<String> joined = new LinkedHashSet<>();
    final Set<String> left = new LinkedHashSet<>();
    /** Nodes whose service a stop step took down and no start step brought up yet (full-stop). */
    final Set<String> stopped = new LinkedHashSet<>();
    final Map<String, String> held = new LinkedHashMap<>();
    ApprovalRequest pending;
    /** The failed step awaiting its failure policy (set by a failure, cleared by retry or skip). */
    PlanStep failedStep;
    String failure;
    /** Why the run must stop at the next safe point (cancel, abort, approval timeout); null while it goes on. */
    String stopReason;
    RunStatus stopStatus;
    String stopBy;
    GateResult lastGate;
    /** A green gate ran after the last node came back into service: the next node may be touched. */
    boolean gateGreen;
    /** The last gate's roles and versions are still the live ones: nothing ran on any node since it read them. */
    boolean gateViewFresh;
    RunEvent.RunFinished finished;
    Plan.MixedVersionWindow mixedWindow;
    /** The downtime window's bound of the first plan (full-stop), as the run started with it; null for none. */
    Duration expectedDowntime;
    /** When old and new versions started to serve side by side; null before. */
    Instant mixedSince;
    /** The mixed-version window was exceeded and put to the failure policy once; a person's retry or skip stands. */
    boolean mixedWindowExceeded;

    RunState(FenceLedger ledger) {
        this.ledger = ledger;
    }

    void apply(RunEvent event) {
        if (event instanceof RunEvent.RunStarted e) {
            if (runId == null) {
                runId = e.runId();
                cluster = e.cluster();
                strategy = e.strategy();
                targetVersion = e.targetVersion();
                startedBy = e.startedBy();
                host = e.host();
                startedAt = e.at();
            } else if (e.resumed() && reopenable()) {
                reopen();
            }
        } else if (event instanceof RunEvent.RolesDiscovered e) {
            roles = e.roles();
            versions = e.versions();
            if (rolesBefore == null) {
                rolesBefore = e.roles();
                versionsBefore = e.versions();
                originalPrimary = e.roles().entrySet().stream().filter(r -> r.getValue() == Role.PRIMARY)
                        .map(Map.Entry::getKey).findFirst().orElse(null);
            }
        } else if (event instanceof RunEvent.Planned e) {
            if (plan.isEmpty()) {
                expectedDowntime = e.expectedDowntime();
            }
            plan = e.steps();
            mixedWindow = e.mixedWindow();
            e.steps().forEach(s -> everyStep.putIfAbsent(s.id(), s));
        } else if (event instanceof RunEvent.StepStarted e) {
            gateViewFresh = false;
            inFlight = e.step();
            everyStep.putIfAbsent(e.step().id(), e.step());
            if (e.step().kind() == StepKind.NODE_PHASE) {
                begun.addAll(e.step().nodes());
                if (e.step().phase() == Phase.UPGRADE) {
                    upgradeBegun.addAll(e.step().nodes());
                }
            }
        } else if (event instanceof RunEvent.StepFinished e) {
            status.put(e.stepId(), e.status());
            if (mixedSince == null && mixedWindow != null && e.stepId().equals(mixedWindow.startsAfter())
                    && e.status().done()) {
                mixedSince = e.at();
            }
            PlanStep step = everyStep.get(e.stepId());
            if (inFlight != null && inFlight.id().equals(e.stepId())) {
                inFlight = null;
            }
            // Only a planned verify (index > 0) proves the target version: the failure policy's verify after a
            // rollback checks the restored old version.
            if (step != null && step.kind() == StepKind.NODE_PHASE && step.phase() == Phase.VERIFY
                    && step.index() > 0 && e.status().done()) {
                verified.addAll(step.nodes());
            }
            if (step != null && step.kind() == StepKind.NODE_PHASE && e.status().done()) {
                if (step.phase() == Phase.STOP) {
                    stopped.addAll(step.nodes());
                } else if (step.phase() == Phase.START) {
                    stopped.removeAll(step.nodes());
                } else if (step.phase() == Phase.JOIN) {
                    joined.addAll(step.nodes());
                } else if (step.phase() == Phase.LEAVE) {
                    left.addAll(step.nodes());
                }
            }
            if (step != null && step.kind() == StepKind.NODE_PHASE && step.phase() == Phase.UPGRADE
                    && e.status() == StepStatus.ALREADY_DONE) {
                alreadyCurrent.addAll(step.nodes());
            }
            if (e.status() == StepStatus.FAILED || e.status() == StepStatus.TIMED_OUT) {
                failedStep = step;
                failure = e.detail();
            }
        } else if (event instanceof RunEvent.GateFinished e) {
            lastGate = e.result();
            gateViewFresh = e.result().healthy();
            // The gate read the versions live: newer than the last discovery (the switchover and the approval's
            // evidence would otherwise show the node upgraded last on its old version).
            if (!e.result().versions().isEmpty()) {
                Map<String, String> merged = new LinkedHashMap<>(versions);
                merged.putAll(e.result().versions());
                versions = Collections.unmodifiableMap(merged);
            }
            gateGreen = e.result().healthy() && ledger.size() == 0;
        } else if (event instanceof RunEvent.FenceChanged e) {
            gateViewFresh = false;
            if (e.fenced()) {
                ledger.fenced(e.node(), e.reason());
                gateGreen = false;
            } else {
                ledger.unfenced(e.node());
                held.remove(e.node());
            }
        } else if (event instanceof RunEvent.FenceHeld e) {
            held.put(e.node(), e.reason());
        } else if (event instanceof RunEvent.ApprovalRequested e) {
            pending = e.request();
        } else if (event instanceof RunEvent.ApprovalDecided e) {
            decided(e.decision());
        } else if (event instanceof RunEvent.CancelRequested e) {
            stop(RunStatus.ABORTED, "cancelled by " + e.by() + ": " + e.reason(), e.by());
        } else if (event instanceof RunEvent.RunFinished e) {
            finished = e;
        } else if (event instanceof RunEvent.Warning e) {
            if (e.message().startsWith(Rollout.MIXED_TOO_LONG)) {
                mixedWindowExceeded = true;
            }
        } else if (event instanceof RunEvent.GateAttempted e) {
            lastGate = e.result();
        } else if (event instanceof RunEvent.CommandStarted e) {
            gateViewFresh = false;
        }
    }

    /** A run that stopped (failed or aborted) can be resumed; one that succeeded or was refused is over. */
    boolean reopenable() {
        return finished != null && (finished.status() == RunStatus.FAILED || finished.status() == RunStatus.ABORTED);
    }

    /**
     * A stopped run continues: the plan step it failed at is in doubt again (the failure policy may have undone part
     * of it, a person may have repaired the node), so it is checked first as if the process had died in it. The
     * failure policy's own steps (a rollback that failed too) are not re-run. What is still fenced stays fenced until
     * its own steps unfence it.
     */
    private void reopen() {
        PlanStep stoppedIn = plan.stream().filter(s -> {
            StepStatus st = status.get(s.id());
            return st == StepStatus.FAILED || st == StepStatus.TIMED_OUT || st == StepStatus.ABORTED;
        }).findFirst().orElse(null);
        finished = null;
        failedStep = null;
        failure = null;
        stopReason = null;
        stopStatus = null;
        stopBy = null;
        pending = null;
        gateGreen = false;
        if (stoppedIn != null) {
            status.remove(stoppedIn.id());
            inFlight = stoppedIn;
        }
    }

    private void decided(ApprovalDecision decision) {
        ApprovalRequest request = pending;
        pending = null;
        if (request == null) {
            return;
        }
        Answer answer = decision.answer();
        boolean onFailure = Rollout.ON_FAILURE.equals(request.point());
        if (answer == Answer.TIMED_OUT) {
            answer = !onFailure && request.onTimeout() == TimeoutAction.PROCEED ? Answer.PROCEED : Answer.ABORT;
            if (answer == Answer.ABORT) {
                stop(RunStatus.ABORTED, "approval '" + request.point() + "' timed out after " + request.timeout()
                        + " (on timeout: abort)", null);
                return;
            }
        }
        switch (answer) {
            case PROCEED -> { }
            case RETRY -> {
                if (failedStep != null) {
                    status.remove(failedStep.id());
                }
                failedStep = null;
                failure = null;
            }
            case SKIP -> {
                if (failedStep != null) {
                    status.put(failedStep.id(), StepStatus.SKIPPED);
                }
                failedStep = null;
                failure = null;
            }
            case ABORT -> stop(RunStatus.ABORTED, "aborted by " + decision.by() + " at approval '" + request.point()
                    + "'" + (decision.comment() == null ? "" : ": " + decision.comment()), decision.by());
            case TIMED_OUT -> { }
        }
    }

    private void stop(RunStatus status, String reason, String by) {
        if (stopReason == null) {
            stopReason = reason;
            stopStatus = status;
            stopBy = by;
        }
    }

    /** The first step of the plan in force that is not done yet. */
    Optional<PlanStep> nextStep() {
        return plan.stream().filter(s -> !isDone(s.id())).findFirst();
    }

    boolean isDone(String stepId) {
        StepStatus s = status.get(stepId);
        return s != null && s.done();
    }

    /** Nodes whose work is done: verified at the target, or found already there. */
    Set<String> upgraded() {
        Set<String> done = new LinkedHashSet<>(verified);
        done.addAll(alreadyCurrent);
        return done;
    }

    public String runId() {
        return runId;
    }

    public List<String> fenced() {
        return ledger.nodes();
    }

    public Optional<ApprovalRequest> pendingApproval() {
        return Optional.ofNullable(pending);
    }

    public boolean finished() {
        return finished != null;
    }

    public List<PlanStep> plan() {
        return List.copyOf(plan);
    }

    public List<PlanStep> remainingSteps() {
        return plan.stream().filter(s -> !isDone(s.id())).toList();
    }

    public Map<String, StepStatus> stepStatus() {
        return Map.copyOf(status);
    }

    List<String> failedNodes() {
        return failedStep == null ? List.of() : new ArrayList<>(failedStep.nodes());
    }
}
