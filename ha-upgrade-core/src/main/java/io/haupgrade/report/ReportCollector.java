package io.haupgrade.report;

import io.haupgrade.probe.DowntimeProbe;
import io.haupgrade.probe.ProbeResult;
import io.haupgrade.spec.Role;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Collects a {@link RunReport} while the run goes: the engine calls it as phases, gates and approvals start and end
 * (in its event listener), and calls {@link #finish} once at the end, whatever the outcome. When given the run's
 * {@link DowntimeProbe}, it tells the probe what runs, so each outage names the phases running during it.
 * Thread-safe; it never throws for calls out of order, so the report can never be what breaks a run.
 */
public final class ReportCollector {

    /** The node name activities use for cluster-wide steps. */
    public static final String CLUSTER = "cluster";

    private final String runId;
    private final String cluster;
    private final String strategy;
    private final String targetVersion;
    private final String startedBy;
    private final Instant startedAt;
    private final DowntimeProbe probe;

    private List<ReportStep> plan = List.of();
    private final Map<String, NodeState> nodes = new LinkedHashMap<>();
    private final List<GateRecord> gates = new ArrayList<>();
    private final Map<String, GateRecord> openGates = new LinkedHashMap<>();
    private final List<ApprovalRecord> approvals = new ArrayList<>();
    private final Map<String, HeldFence> fences = new LinkedHashMap<>();
    private final List<String> warnings = new ArrayList<>();

    private static final class NodeState {
        final String name;
        String host;
        Role roleBefore;
        String versionBefore;
        Role roleAfter;
        String versionAfter;
        NodeOutcome outcome;
        final List<PhaseRecord> phases = new ArrayList<>();
        PhaseRecord open;

        NodeState(String name) {
            this.name = name;
        }
    }

    /** @param probe the run's probe, told what runs; null when the spec names no probe */
    public ReportCollector(String runId, String cluster, String strategy, String targetVersion, String startedBy,
                           Instant startedAt, DowntimeProbe probe) {
        this.runId = runId;
        this.cluster = cluster;
        this.strategy = strategy;
        this.targetVersion = targetVersion;
        this.startedBy = startedBy;
        this.startedAt = startedAt;
        this.probe = probe;
    }

    public synchronized void plan(List<ReportStep> steps) {
        plan = List.copyOf(steps);
    }

    /** A node as found at the start of the run; nodes are listed in the order they are first named. */
    public synchronized void node(String name, String host, Role role, String version) {
        NodeState node = state(name);
        node.host = host;
        node.roleBefore = role;
        node.versionBefore = version;
    }

    public void phaseStarted(String node, String stepId, String phase, Instant at) {
        synchronized (this) {
            NodeState state = state(node);
            if (state.open != null) {
                PhaseRecord open = state.open;
                state.phases.add(new PhaseRecord(open.stepId(), open.phase(), open.start(), at, PhaseOutcome.ABORTED,
                        "a new phase started on the node before this one ended", null));
            }
            state.open = new PhaseRecord(stepId, phase, at, null, null, null, null);
        }
        if (probe != null) {
            probe.activityStarted(node, phase);
        }
    }

    /** The phase running on {@code node} ended; ignored when none runs there. */
    public void phaseEnded(String node, PhaseOutcome outcome, String detail, Integer exitCode, Instant at) {
        synchronized (this) {
            NodeState state = state(node);
            if (state.open != null) {
                PhaseRecord open = state.open;
                state.phases.add(new PhaseRecord(open.stepId(), open.phase(), open.start(), at, outcome, detail,
                        exitCode));
                state.open = null;
            }
        }
        if (probe != null) {
            probe.activityEnded(node);
        }
    }

    public void gateStarted(String stepId, String description, Instant at) {
        synchronized (this) {
            openGates.put(stepId, new GateRecord(stepId, description, at, null, false, 0, List.of()));
        }
        if (probe != null) {
            probe.activityStarted(CLUSTER, "gate");
        }
    }

    /** The gate of {@code stepId} ended; {@code checks} is the last round of results. */
    public void gateEnded(String stepId, boolean green, int attempts, List<CheckResult> checks, Instant at) {
        synchronized (this) {
            GateRecord open = openGates.remove(stepId);
            gates.add(new GateRecord(stepId, open == null ? null : open.description(),
                    open == null ? null : open.start(), at, green, attempts, checks));
        }
        if (probe != null) {
            probe.activityEnded(CLUSTER);
        }
    }

    public void approvalRequested(String stepId, String point, String message, Instant at) {
        synchronized (this) {
            approvals.add(new ApprovalRecord(stepId, point, message, at, null, null, null, null));
        }
        if (probe != null) {
            probe.activityStarted(CLUSTER, "approval");
        }
    }

    /** The answer to the last open approval of {@code stepId}; ignored when none is open. */
    public void approvalDecided(String stepId, Decision decision, String by, String comment, Instant at) {
        synchronized (this) {
            for (int i = approvals.size() - 1; i >= 0; i--) {
                ApprovalRecord a = approvals.get(i);
                if (Objects.equals(a.stepId(), stepId) && a.decision() == null) {
                    approvals.set(i, new ApprovalRecord(a.stepId(), a.point(), a.message(), a.requestedAt(),
                            decision, by, at, comment));
                    break;
                }
            }
        }
        if (probe != null) {
            probe.activityEnded(CLUSTER);
        }
    }

    /** The node is out of service (its fence succeeded) until {@link #fenceReleased}. */
    public synchronized void fenceHeld(String node, String phase, String reason, String undo) {
        fences.put(node, new HeldFence(node, phase, reason, undo));
    }

    public synchronized void fenceReleased(String node) {
        fences.remove(node);
    }

    /** Where the node ended up; a node never finished is reported with its outcome derived from its phases. */
    public synchronized void nodeFinished(String name, Role role, String version, NodeOutcome outcome) {
        NodeState node = state(name);
        node.roleAfter = role;
        node.versionAfter = version;
        node.outcome = outcome;
    }

    public synchronized void warning(String text) {
        warnings.add(text);
    }

    /**
     * The report as of now, for the end of the run: a phase still open is recorded as aborted without an end, a gate
     * still open as not green, an approval still open without a decision.
     *
     * @param stoppedAt where and why the run stopped; null when it succeeded
     * @param probe     the probe's final result ({@code DowntimeProbe.stop()}); null without a probe
     */
    public synchronized RunReport finish(Outcome outcome, String stoppedAt, Instant finishedAt, ProbeResult probe) {
        List<NodeReport> nodeReports = new ArrayList<>();
        for (NodeState node : nodes.values()) {
            List<PhaseRecord> phases = new ArrayList<>(node.phases);
            if (node.open != null) {
                PhaseRecord open = node.open;
                phases.add(new PhaseRecord(open.stepId(), open.phase(), open.start(), null, PhaseOutcome.ABORTED,
                        "the run stopped during this phase", null));
            }
            nodeReports.add(new NodeReport(node.name, node.host, node.roleBefore, node.roleAfter, node.versionBefore,
                    node.versionAfter, node.outcome != null ? node.outcome : derived(phases), phases));
        }
        List<GateRecord> allGates = new ArrayList<>(gates);
        openGates.values().forEach(g -> allGates.add(new GateRecord(g.stepId(), g.description(), g.start(), null,
                false, g.attempts(), g.checks())));
        return new RunReport(RunReport.SCHEMA_VERSION, runId, cluster, strategy, targetVersion, startedAt, finishedAt,
                outcome, stoppedAt, startedBy, plan, nodeReports, allGates, approvals, probe,
                List.copyOf(fences.values()), warnings);
    }

    private static NodeOutcome derived(List<PhaseRecord> phases) {
        if (phases.isEmpty()) {
            return NodeOutcome.NOT_REACHED;
        }
        boolean failed = phases.stream().anyMatch(p -> p.outcome() != PhaseOutcome.SUCCEEDED
                && p.outcome() != PhaseOutcome.SKIPPED);
        // Phases that all succeeded without the engine saying where the node ended: not claimed as upgraded.
        return failed ? NodeOutcome.FAILED : null;
    }

    private NodeState state(String name) {
        return nodes.computeIfAbsent(name, NodeState::new);
    }
}
