package io.haupgrade.execute;

import io.haupgrade.execute.ApprovalDecision.Answer;
import io.haupgrade.health.GateResult;
import io.haupgrade.plan.PlanStep;
import io.haupgrade.plan.StepKind;
import io.haupgrade.probe.ProbeResult;
import io.haupgrade.report.ApprovalRecord;
import io.haupgrade.report.CheckResult;
import io.haupgrade.report.Decision;
import io.haupgrade.report.GateRecord;
import io.haupgrade.report.HeldFence;
import io.haupgrade.report.NodeOutcome;
import io.haupgrade.report.NodeReport;
import io.haupgrade.report.Outcome;
import io.haupgrade.report.PhaseOutcome;
import io.haupgrade.report.PhaseRecord;
import io.haupgrade.report.ReportStep;
import io.haupgrade.report.RunReport;
import io.haupgrade.spec.ClusterSpec;
import io.haupgrade.spec.NodeSpec;
import io.haupgrade.spec.Phase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds the run report from the journal's events: the same facts the run acted on. */
final class ReportBuilder {
    private ReportBuilder() {
    }

    /**
     * What the service probe measured over the whole run: the last record of each stretch (a process that
     * probed, told apart by when it started), combined; null when nothing was probed.
     */
    static ProbeResult probe(List<RunEvent> events) {
        Map<Instant, ProbeResult> lastOfEachStretch = new LinkedHashMap<>();
        for (RunEvent event : events) {
            if (event instanceof RunEvent.ProbeMeasured e) {
                lastOfEachStretch.put(e.result().startedAt(), e.result());
            }
        }
        return lastOfEachStretch.isEmpty() ? null : ProbeResult.combined(List.copyOf(lastOfEachStretch.values()));
    }

    static RunReport build(ClusterSpec spec, List<RunEvent> events) {
        ProbeResult probe = probe(events);
        RunState state = new RunState(new FenceLedger(Integer.MAX_VALUE, List.of()));
        Map<String, Instant> started = new HashMap<>();
        Map<String, List<PhaseRecord>> phases = new LinkedHashMap<>();
        List<GateRecord> gates = new ArrayList<>();
        Map<String, ApprovalRequest> requests = new HashMap<>();
        List<ApprovalRecord> approvals = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        Map<String, HeldFence> held = new LinkedHashMap<>();
        for (RunEvent event : events) {
            state.apply(event);
            if (event instanceof RunEvent.StepStarted e) {
                started.put(e.step().id(), e.at());
            } else if (event instanceof RunEvent.StepFinished e) {
                PlanStep step = state.everyStep.get(e.stepId());
                if (step != null && step.kind() != StepKind.GATE && step.kind() != StepKind.APPROVAL) {
                    for (String node : step.nodes()) {
                        phases.computeIfAbsent(node, n -> new ArrayList<>()).add(new PhaseRecord(step.id(),
                                phaseName(step), started.get(step.id()), e.at(), outcome(e.status()), e.detail(),
                                e.exitCode()));
                    }
                }
            } else if (event instanceof RunEvent.GateFinished e) {
                gates.add(gate(e));
            } else if (event instanceof RunEvent.ApprovalRequested e) {
                requests.put(e.request().id(), e.request());
            } else if (event instanceof RunEvent.ApprovalDecided e) {
                ApprovalRequest r = requests.remove(e.decision().requestId());
                if (r != null) {
                    approvals.add(new ApprovalRecord(r.stepId(), r.point(), r.message(), r.requestedAt(),
                            decision(e.decision().answer()), e.decision().by(), e.decision().admittedAs(),
                            e.decision().at(),
                            commentOf(e.decision())));
                }
            } else if (event instanceof RunEvent.Warning e) {
                warnings.add(e.node() == null ? e.message() : e.node() + ": " + e.message());
            } else if (event instanceof RunEvent.FenceHeld e) {
                held.put(e.node(), new HeldFence(e.node(), "fence", e.reason(), e.undo()));
            }
        }
        for (ApprovalRequest open : requests.values()) {
            approvals.add(new ApprovalRecord(open.stepId(), open.point(), open.message(), open.requestedAt(), null, null, null,
                    null, null));
        }
        List<HeldFence> fencesHeld = new ArrayList<>();
        for (String node : state.ledger.nodes()) {
            fencesHeld.add(held.getOrDefault(node, new HeldFence(node, "fence",
                    "fenced when the run " + (state.finished() ? "ended" : "stopped") + "; no undo ran", null)));
        }
        List<NodeReport> nodes = new ArrayList<>();
        for (NodeSpec node : spec.nodes()) {
            List<PhaseRecord> records = phases.getOrDefault(node.name(), List.of());
            NodeOutcome outcome = nodeOutcome(state, node.name(), records);
            String before = state.versionsBefore == null ? null : state.versionsBefore.get(node.name());
            // A node rolled back runs its old version again (its rollback and verify succeeded); the last versions
            // read may still show the new one, seen before verify failed.
            String after = outcome == NodeOutcome.ROLLED_BACK ? before
                    : state.verified.contains(node.name()) || state.alreadyCurrent.contains(node.name())
                    ? state.targetVersion : state.versions.get(node.name());
            nodes.add(new NodeReport(node.name(), node.host(),
                    state.rolesBefore == null ? node.role() : state.rolesBefore.get(node.name()),
                    state.roles.get(node.name()), before, after, outcome, records));
        }
        RunEvent.RunFinished finished = state.finished;
        return new RunReport(RunReport.SCHEMA_VERSION, state.runId, state.cluster, Rollout.lower(state.strategy),
                state.targetVersion, state.startedAt, finished == null ? null : finished.at(),
                finished == null ? null : outcome(finished.status()), finished == null ? null : finished.stoppedAt(),
                state.startedBy, state.everyStep.values().stream().map(s -> new ReportStep(s.id(), Rollout.lower(s.kind()),
                        s.nodes(), s.description())).toList(),
                nodes, gates, approvals, state.expectedDowntime, probe, fencesHeld, warnings);
    }

    private static NodeOutcome nodeOutcome(RunState state, String node, List<PhaseRecord> records) {
        boolean rolledBack = records.stream().anyMatch(r -> (r.phase().equals("rollback") || r.phase().equals("restore"))
                && r.outcome() == PhaseOutcome.SUCCEEDED);
        if (rolledBack && !state.ledger.isFenced(node)) {
            return NodeOutcome.ROLLED_BACK;
        }
        if (records.stream().anyMatch(r -> r.outcome() == PhaseOutcome.FAILED || r.outcome() == PhaseOutcome.TIMED_OUT)
                || state.ledger.isFenced(node)) {
            return NodeOutcome.FAILED;
        }
        if (state.verified.contains(node)) {
            return NodeOutcome.UPGRADED;
        }
        String before = state.versionsBefore == null ? null : state.versionsBefore.get(node);
        if (state.alreadyCurrent.contains(node) || state.targetVersion != null && state.targetVersion.equals(before)) {
            return NodeOutcome.ALREADY_CURRENT;
        }
        return NodeOutcome.NOT_REACHED;
    }

    private static GateRecord gate(RunEvent.GateFinished e) {
        GateResult r = e.result();
        List<CheckResult> checks = new ArrayList<>();
        for (var c : r.checks()) {
            checks.add(new CheckResult(c.node() == null ? "cluster" : c.node(), c.check(), c.passed(), c.output()));
        }
        for (String problem : r.problems()) {
            checks.add(new CheckResult("cluster", "rules", false, problem));
        }
        return new GateRecord(e.stepId(), e.description(), e.started(), e.at(), r.healthy(), r.attempt(), checks);
    }

    private static String phaseName(PlanStep step) {
        if (step.kind() == StepKind.NODE_PHASE && step.phase() != null) {
            return Rollout.lower(step.phase());
        }
        if (step.kind() == StepKind.HOOK && step.hook() != null) {
            return "hook " + step.hook().label();
        }
        return Rollout.lower(step.kind() == StepKind.FAILBACK ? Phase.FAILBACK
                : step.kind() == StepKind.SWITCHOVER ? Phase.SWITCHOVER : null);
    }

    private static PhaseOutcome outcome(StepStatus status) {
        return switch (status) {
            case SUCCEEDED -> PhaseOutcome.SUCCEEDED;
            case FAILED -> PhaseOutcome.FAILED;
            case TIMED_OUT -> PhaseOutcome.TIMED_OUT;
            case SKIPPED, ALREADY_DONE -> PhaseOutcome.SKIPPED;
            case ABORTED -> PhaseOutcome.ABORTED;
        };
    }

    private static Outcome outcome(RunStatus status) {
        return switch (status) {
            case SUCCEEDED -> Outcome.SUCCEEDED;
            case FAILED, REFUSED -> Outcome.FAILED;
            case ABORTED -> Outcome.ABORTED;
        };
    }

    private static Decision decision(Answer answer) {
        return switch (answer) {
            case PROCEED, RETRY, SKIP -> Decision.APPROVED;
            case ABORT -> Decision.REJECTED;
            case TIMED_OUT -> Decision.TIMED_OUT;
        };
    }

    private static String commentOf(ApprovalDecision d) {
        String choice = Rollout.lower(d.answer());
        return d.comment() == null ? choice : choice + ": " + d.comment();
    }
}
