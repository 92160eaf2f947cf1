package io.haupgrade.plan;

import io.haupgrade.spec.ClusterSpec;
import io.haupgrade.spec.CommandSpec;
import java.util.List;

/**
 * A plan as text for a person: a header, the numbered steps grouped by the nodes they work on, role moves and
 * approvals marked so they stand out, then the notes and the expected downtime.
 */
public final class PlanText {
    /** Marks a step that moves the primary role. */
    static final String ROLE_MOVE = ">>";
    /** Marks a step where a person must approve. */
    static final String APPROVAL = "??";

    private PlanText() {
    }

    /** The plan without commands. */
    public static String render(Plan plan) {
        return render(plan, null);
    }

    /** The plan; with a spec, each step's commands are listed under it (what a dry run would run). */
    public static String render(Plan plan, ClusterSpec withCommandsOf) {
        StringBuilder out = new StringBuilder();
        out.append("Plan for cluster ").append(plan.cluster()).append(": ").append(Names.of(plan.strategy()))
                .append(", ").append(plan.currentVersion() == null ? "current version unknown" : plan.currentVersion())
                .append(" -> ").append(plan.targetVersion()).append('\n');
        out.append("Primary now: ").append(plan.primary() == null ? "none known" : plan.primary());
        if (!plan.alreadyUpgraded().isEmpty()) {
            out.append("; already done: ").append(String.join(", ", plan.alreadyUpgraded()));
        }
        out.append("; ").append(plan.steps().size()).append(" steps\n");
        int width = Math.min(40, plan.steps().stream().mapToInt(s -> s.id().length()).max().orElse(0));
        String group = "";
        for (PlanStep step : plan.steps()) {
            String stepGroup = groupOf(step, group);
            if (!stepGroup.equals(group) && !stepGroup.isEmpty()) {
                out.append('\n').append("   -- ").append(stepGroup).append(" --\n");
            } else if (!stepGroup.equals(group) || step.index() == 1 || stands(step)) {
                out.append('\n');
            }
            group = stepGroup;
            String marker = switch (step.kind()) {
                case SWITCHOVER, FAILBACK -> ROLE_MOVE;
                case APPROVAL -> APPROVAL;
                default -> "  ";
            };
            out.append(marker).append(String.format("%3d  %-" + width + "s  ", step.index(), step.id()));
            if (step.kind() == StepKind.APPROVAL) {
                out.append("APPROVAL (").append(Names.of(step.approval())).append("): ");
            } else if (step.kind() == StepKind.SWITCHOVER || step.kind() == StepKind.FAILBACK) {
                out.append(step.kind().name()).append(": ");
            }
            out.append(step.description()).append('\n');
            if (withCommandsOf != null) {
                appendCommands(out, StepCommands.of(withCommandsOf, step), width);
            }
        }
        if (!plan.notes().isEmpty()) {
            out.append("\nNotes:\n");
            plan.notes().forEach(n -> out.append("  - ").append(n).append('\n'));
        }
        if (plan.expectedDowntime() != null) {
            out.append("\nExpected downtime: at most ").append(Durations.format(plan.expectedDowntime()))
                    .append(" (the service is stopped on purpose; bounded by the time limits of the steps)\n");
        }
        return out.toString();
    }

    /**
     * The nodes a step belongs to for grouping: a node phase's or node hook's batch; the gate after a batch stays in
     * its group; everything else stands alone.
     */
    private static String groupOf(PlanStep step, String current) {
        boolean batchStep = step.kind() == StepKind.NODE_PHASE || step.kind() == StepKind.HOOK && !step.nodes().isEmpty();
        if (batchStep) {
            return String.join(", ", step.nodes());
        }
        if (step.kind() == StepKind.GATE && !step.nodes().isEmpty() && String.join(", ", step.nodes()).equals(current)) {
            return current;
        }
        return "";
    }

    /** Role moves and approvals get a blank line before them. */
    private static boolean stands(PlanStep step) {
        return step.kind() == StepKind.SWITCHOVER || step.kind() == StepKind.FAILBACK || step.kind() == StepKind.APPROVAL;
    }

    private static void appendCommands(StringBuilder out, List<StepCommands.ResolvedCommand> commands, int width) {
        String indent = " ".repeat(9 + width);
        for (StepCommands.ResolvedCommand c : commands) {
            CommandSpec command = c.command();
            out.append(indent).append("$ ").append(command.run());
            StringBuilder where = new StringBuilder();
            if (c.node() != null) {
                where.append("for ").append(c.node());
            }
            if (!CommandSpec.ON_SELF.equals(command.on()) || c.node() == null) {
                where.append(where.isEmpty() ? "" : ", ").append("on ").append(command.on());
            }
            if (!where.isEmpty()) {
                out.append("   (").append(where).append(')');
            }
            out.append('\n');
        }
    }
}
