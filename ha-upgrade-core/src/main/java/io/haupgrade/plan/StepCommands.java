package io.haupgrade.plan;

import io.haupgrade.spec.ClusterSpec;
import io.haupgrade.spec.CommandSpec;
import io.haupgrade.spec.Phase;
import java.util.ArrayList;
import java.util.List;

/**
 * The commands a step runs, resolved from the spec the way the executor does it (a node's own phase commands, else
 * the cluster's). Plans do not copy commands; this is for rendering a plan with its commands, e.g. a dry run.
 */
public final class StepCommands {
    private StepCommands() {
    }

    /**
     * One command and the node it is about.
     *
     * @param node the node worked on ({@code ${node}}); null for the before-all and after-all hooks
     * @param peer for a switchover or failback, the node the role moves to ({@code ${peer}}); else null
     */
    public record ResolvedCommand(String node, String peer, CommandSpec command) {
    }

    /** The commands of the step, in the order they run; empty for gates and approvals. */
    public static List<ResolvedCommand> of(ClusterSpec spec, PlanStep step) {
        List<ResolvedCommand> out = new ArrayList<>();
        switch (step.kind()) {
            case NODE_PHASE -> step.nodes().forEach(n -> add(out, n, null, spec.commandsFor(spec.node(n), step.phase())));
            case SWITCHOVER -> add(out, step.from(), step.to(), spec.commandsFor(spec.node(step.from()), Phase.SWITCHOVER));
            case FAILBACK -> add(out, step.from(), step.to(), spec.commandsFor(spec.node(step.from()), Phase.FAILBACK));
            case HOOK -> {
                List<CommandSpec> commands = step.hook().commandsIn(spec.hooks());
                if (step.nodes().isEmpty()) {
                    add(out, null, null, commands);
                } else {
                    step.nodes().forEach(n -> add(out, n, null, commands));
                }
            }
            default -> {
            }
        }
        return out;
    }

    private static void add(List<ResolvedCommand> out, String node, String peer, List<CommandSpec> commands) {
        commands.forEach(c -> out.add(new ResolvedCommand(node, peer, c)));
    }
}
