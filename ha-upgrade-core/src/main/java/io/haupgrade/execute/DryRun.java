package io.haupgrade.execute;

import io.haupgrade.plan.Plan;
import io.haupgrade.plan.PlanStep;
import io.haupgrade.spec.ClusterSpec;
import io.haupgrade.spec.CommandSpec;
import io.haupgrade.spec.NodeSpec;
import io.haupgrade.spec.Phase;
import io.haupgrade.spec.Role;
import io.haupgrade.spec.Template;
import io.haupgrade.spec.TemplateException;
import io.haupgrade.spec.Variables;
import java.util.List;
import java.util.Map;

/**
 * {@code run --dry-run}: the plan with the exact command lines each step would send to each node, rendered with the
 * same {@link Template} and the same {@code on} resolution as a real run, from the declared (or given) roles.
 */
public final class DryRun {
    private DryRun() {
    }

    public static String render(ClusterSpec spec, Plan plan, Map<String, Role> roles) {
        StringBuilder out = new StringBuilder();
        out.append("Plan for ").append(plan.cluster()).append(": ").append(Rollout.lower(plan.strategy())).append(" to ")
                .append(plan.targetVersion()).append(" (").append(plan.steps().size()).append(" steps; nothing is run)\n");
        plan.notes().forEach(n -> out.append("  note: ").append(n).append('\n'));
        String primary = roles.entrySet().stream().filter(e -> e.getValue() == Role.PRIMARY).map(Map.Entry::getKey)
                .findFirst().orElse(null);
        Variables base = Variables.forCluster(spec).withTargetVersion(plan.targetVersion());
        Remote remote = new Remote(spec, null, RunListener.NONE, null);
        for (PlanStep step : plan.steps()) {
            out.append(String.format("%3d. %-28s %s%n", step.index(), step.id(), step.description()));
            List<CommandSpec> commands;
            String subject;
            Variables vars;
            switch (step.kind()) {
                case NODE_PHASE -> {
                    for (String node : step.nodes()) {
                        NodeSpec n = spec.node(node);
                        Variables v = vars(base, spec, node, roles, primary);
                        lines(out, remote, spec.commandsFor(n, step.phase()), v, node, primary);
                        if (step.phase() == Phase.VERIFY) {
                            out.append("       then: node health checks on ").append(node).append(" and version = ")
                                    .append(plan.targetVersion()).append('\n');
                        }
                    }
                }
                case HOOK -> {
                    commands = step.hook().commandsIn(spec.hooks());
                    subject = step.nodes().isEmpty() ? (primary != null ? primary : spec.nodes().get(0).name())
                            : step.nodes().get(0);
                    lines(out, remote, commands, vars(base, spec, subject, roles, primary), subject, primary);
                }
                case SWITCHOVER, FAILBACK -> {
                    String from = step.nodes().get(0);
                    // As the run does it: self is the primary at that moment (from), ${peer} the node taking the role.
                    vars = base.withNode(spec.node(from), Role.PRIMARY).withPrimary(spec.node(from))
                            .withPeer(spec.node(step.nodes().get(1)));
                    Phase phase = step.kind() == io.haupgrade.plan.StepKind.FAILBACK ? Phase.FAILBACK : Phase.SWITCHOVER;
                    lines(out, remote, spec.commandsFor(spec.node(from), phase), vars, from, from);
                    out.append("       then: wait until ").append(step.nodes().get(1)).append(" is primary (at most ")
                            .append(spec.policy().timeouts().switchover()).append(")\n");
                }
                case GATE -> out.append("       all health checks on all nodes, every ").append(spec.health().interval())
                        .append(", at most ").append(spec.health().timeout()).append('\n');
                case APPROVAL -> out.append("       waits for a person (at most ")
                        .append(spec.policy().approvals().timeout()).append(", then ")
                        .append(Rollout.lower(spec.policy().approvals().onTimeout())).append(")\n");
            }
        }
        return out.toString();
    }

    private static Variables vars(Variables base, ClusterSpec spec, String node, Map<String, Role> roles,
            String primary) {
        Variables v = base.withNode(spec.node(node), roles.get(node));
        return primary == null ? v : v.withPrimary(spec.node(primary));
    }

    private static void lines(StringBuilder out, Remote remote, List<CommandSpec> commands, Variables vars,
            String self, String primary) {
        if (commands.isEmpty()) {
            out.append("       (no commands)\n");
        }
        for (CommandSpec c : commands) {
            String line;
            try {
                line = Template.parse(c.run()).renderCommand(vars);
            } catch (TemplateException e) {
                line = "<cannot render: " + e.getMessage() + ">";
            }
            for (String target : remote.targets(c.on(), self, primary, vars.get("peer.name").orElse(null))) {
                out.append("       ").append(target).append(" $ ").append(line).append('\n');
            }
        }
    }
}
