package io.haupgrade.plan;

import io.haupgrade.spec.Phase;
import io.haupgrade.spec.ServiceProbe;
import io.haupgrade.spec.Strategy;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Turns a cluster spec and the known roles into an explicit, ordered plan: preflight gate, hooks, per-node (or
 * per-batch) phases, switchover and failback, approvals, final gate. Every plan is walked by {@link PlanSimulator}
 * before it is returned; a plan that would break a safety rule is never handed out.
 */
public final class Planner {

    private static final Set<Phase> NEW_VERSION_SERVES = EnumSet.of(Phase.UPGRADE, Phase.JOIN);

    private Planner() {
    }

    /**
     * @throws PlanException when the request cannot be planned safely: no target version, an unsafe strategy for
     *                       the version jump, a cluster too small for the strategy, an impossible combination
     */
    public static Plan plan(PlanRequest request) throws PlanException {
        Rollout rollout = new Rollout(request);
        Version target = Version.parse(rollout.target, "target version");
        Version current = rollout.current == null ? null : Version.parse(rollout.current, "current version");
        rollout.notes.add("strategy " + Names.of(rollout.strategy)
                + (request.strategy() == null ? " (policy.strategy)" : " (requested)"));
        rollout.notes.addAll(CompatibilityCheck.check(rollout.spec.compatibility(), rollout.strategy, current, target));

        StepSequence sequence = new StepSequence(rollout);
        plannerFor(rollout.strategy).plan(rollout, sequence);
        List<PlanStep> steps = sequence.build();

        if (steps.stream().noneMatch(s -> s.kind() == StepKind.NODE_PHASE)) {
            rollout.notes.add("every node already runs " + rollout.target + ": no node has work");
        }
        Plan.MixedVersionWindow window = mixedVersionWindow(rollout, steps);
        Duration downtime = null;
        if (rollout.strategy == Strategy.FULL_STOP) {
            downtime = downtimeNotes(rollout, steps);
        }
        Plan plan = new Plan(rollout.spec.name(), rollout.strategy, rollout.target, rollout.current, steps, downtime,
                rollout.notes, rollout.primary, List.copyOf(rollout.done), window);
        Simulation simulation = PlanSimulator.simulate(rollout.spec, plan);
        if (!simulation.safe()) {
            throw new PlanException("the planned order would break a safety rule: " + simulation.violations().get(0),
                    "this is a bug in ha-upgrade; nothing was changed. Report it with the cluster file");
        }
        return plan;
    }

    private static StrategyPlanner plannerFor(Strategy strategy) {
        return switch (strategy) {
            case ROLLING, CANARY, ACTIVE_PASSIVE -> new InPlacePlanner();
            case REPLACE -> new ReplacePlanner();
            case FULL_STOP -> new FullStopPlanner();
        };
    }

    /**
     * From the first step that puts the new version into service (an upgrade or a join) to the last step after which
     * an old version still serves (the last verify, or the last leave in a replace rollout).
     */
    private static Plan.MixedVersionWindow mixedVersionWindow(Rollout r, List<PlanStep> steps) {
        Duration limit = r.spec.compatibility().maxMixedWindow();
        if (r.strategy == Strategy.FULL_STOP) {
            if (!steps.isEmpty() && steps.stream().anyMatch(s -> s.kind() == StepKind.NODE_PHASE)) {
                r.notes.add("no mixed-version window: the service is stopped while the versions differ");
            }
            return null;
        }
        Phase endPhase = r.strategy == Strategy.REPLACE ? Phase.LEAVE : Phase.VERIFY;
        PlanStep end = null;
        for (PlanStep s : steps) {
            if (s.is(endPhase)) {
                end = s;
            }
        }
        if (end == null) {
            return null;
        }
        boolean mixedAlready = r.strategy == Strategy.REPLACE
                ? r.incoming.stream().anyMatch(r.done::contains)
                : r.members.stream().anyMatch(r.done::contains);
        PlanStep start = null;
        if (!mixedAlready) {
            start = steps.stream().filter(s -> s.kind() == StepKind.NODE_PHASE && NEW_VERSION_SERVES.contains(s.phase()))
                    .findFirst().orElse(steps.stream().filter(s -> s.is(Phase.VERIFY)).findFirst().orElse(end));
        }
        String from = start == null ? "versions are mixed already" : "mixed versions serve from step " + start.index()
                + " (" + start.id() + ")";
        r.notes.add(from + " until step " + end.index() + " (" + end.id() + ")"
                + (limit == null ? "" : "; the run stops the rollout if that takes longer than compatibility.maxMixedWindow "
                + Durations.format(limit)));
        return new Plan.MixedVersionWindow(start == null ? null : start.id(), end.id(), limit);
    }

    private static Duration downtimeNotes(Rollout r, List<PlanStep> steps) {
        Downtime window = Downtime.of(r.spec, steps);
        if (window == null) {
            return null;
        }
        r.notes.add("downtime window from step " + window.first().index() + " (" + window.first().id() + ") to step "
                + window.last().index() + " (" + window.last().id() + "): at most " + Durations.format(window.bound())
                + " by the time limits of its steps; the run measures the real downtime");
        ServiceProbe probe = r.spec.probe();
        if (probe != null && probe.maxDowntime() != null && probe.maxDowntime().compareTo(window.bound()) < 0) {
            r.notes.add("probe.maxDowntime " + Durations.format(probe.maxDowntime())
                    + " is below that bound: the run fails if the real downtime exceeds it");
        }
        return window.bound();
    }
}
