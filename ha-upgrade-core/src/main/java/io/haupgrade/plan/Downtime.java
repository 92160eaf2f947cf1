package io.haupgrade.plan;

import io.haupgrade.spec.ClusterSpec;
import io.haupgrade.spec.CommandSpec;
import io.haupgrade.spec.Phase;
import io.haupgrade.spec.Timeouts;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The downtime window of a full-stop plan: from the first step that takes the service down to the last step before
 * the gate after it, bounded by the sum of those steps' time limits (the run measures the real downtime).
 */
record Downtime(PlanStep first, PlanStep last, Duration bound) {

    private static final Set<Phase> TAKES_DOWN = EnumSet.of(Phase.FENCE, Phase.STOP, Phase.UPGRADE, Phase.REBOOT);

    /** The window of the plan's steps, or null when no step takes the service down. */
    static Downtime of(ClusterSpec spec, List<PlanStep> steps) {
        int start = -1;
        for (int i = 0; i < steps.size(); i++) {
            PlanStep step = steps.get(i);
            if (step.kind() == StepKind.NODE_PHASE && TAKES_DOWN.contains(step.phase())) {
                start = i;
                break;
            }
        }
        if (start < 0) {
            return null;
        }
        int end = start;
        Duration bound = Duration.ZERO;
        for (int i = start; i < steps.size() && steps.get(i).kind() != StepKind.GATE; i++) {
            bound = bound.plus(limitOf(spec, steps.get(i)));
            end = i;
        }
        return new Downtime(steps.get(start), steps.get(end), bound);
    }

    /** The longest one step may take: its slowest node's commands, plus the wait that belongs to the phase. */
    private static Duration limitOf(ClusterSpec spec, PlanStep step) {
        Timeouts timeouts = spec.policy().timeouts();
        if (step.kind() == StepKind.HOOK) {
            return sum(step.hook().commandsIn(spec.hooks()), timeouts.command());
        }
        if (step.kind() != StepKind.NODE_PHASE) {
            return Duration.ZERO;
        }
        Duration slowest = Duration.ZERO;
        for (String node : step.nodes()) {
            Duration d = sum(spec.commandsFor(spec.node(node), step.phase()), timeouts.command());
            slowest = d.compareTo(slowest) > 0 ? d : slowest;
        }
        return slowest.plus(switch (step.phase()) {
            case FENCE -> timeouts.fence();
            case REBOOT -> timeouts.reboot();
            case VERIFY -> spec.health().timeout();
            default -> Duration.ZERO;
        });
    }

    private static Duration sum(List<CommandSpec> commands, Duration fallback) {
        return commands.stream().map(c -> c.timeout() == null ? fallback : c.timeout()).reduce(Duration.ZERO, Duration::plus);
    }
}
