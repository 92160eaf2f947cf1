package io.haupgrade.plan;

import io.haupgrade.spec.ApprovalPoint;
import io.haupgrade.spec.CommandSpec;
import io.haupgrade.spec.Phase;
import io.haupgrade.spec.Strategy;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Collects the steps of a plan in order, with the wording shared by every strategy. Approval descriptions are
 * finished in {@link #build()}, when what comes next is known.
 */
final class StepSequence {
    private final Rollout rollout;
    private final List<PlanStep> steps = new ArrayList<>();
    /** For each approval step (same position), what was done before it. */
    private final List<String> approvalDone = new ArrayList<>();
    private final Set<String> ids = new HashSet<>();
    private boolean firstNodeDone;
    /** The node a switchover moved the primary role away from, named "former primary" from then on. */
    private String formerPrimary;

    static final String FIRST_NODE_APPROVAL = "approval:after-first-node";

    StepSequence(Rollout rollout) {
        this.rollout = rollout;
    }

    private void preflightGate() {
        add("gate:preflight", StepKind.GATE, List.of(), null, null,
                "preflight gate: the cluster is healthy before anything changes", null);
    }

    private void finalGate() {
        add("gate:final", StepKind.GATE, List.of(), null, null,
                "final gate: the cluster is healthy with every node on " + rollout.target, null);
    }

    void gateAfter(List<String> nodes) {
        add("gate:after:" + key(nodes), StepKind.GATE, nodes, null, null,
                "gate: the cluster is healthy after " + who(nodes), null);
    }

    /** A cluster-wide hook; left out when the spec has no commands for it. */
    void hook(Hook hook, List<String> nodes) {
        List<CommandSpec> commands = hook.commandsIn(rollout.spec.hooks());
        if (commands.isEmpty()) {
            return;
        }
        String id = nodes.isEmpty() ? "hook:" + hook.label() : "hook:" + hook.label() + ":" + key(nodes);
        String about = nodes.isEmpty() ? "" : " for " + who(nodes);
        add(id, StepKind.HOOK, nodes, null, null,
                "run the " + hook.label() + " hook" + about + ": " + summary(commands), hook);
    }

    /** A node phase for a batch; left out when no node of the batch has commands for it, unless {@code always}. */
    void phase(List<String> nodes, Phase phase, boolean always) {
        if (!always && !rollout.anyCommands(nodes, phase)) {
            return;
        }
        add("node:" + key(nodes) + ":" + Names.of(phase), StepKind.NODE_PHASE, nodes, phase, null,
                phaseText(nodes, phase), null);
    }

    private void switchover(String from, String to) {
        String text = "move the primary role from " + from + " to " + to + ", and wait until " + to
                + " is primary (at most " + Durations.format(rollout.spec.policy().timeouts().switchover()) + ")";
        if (rollout.commands(from, Phase.SWITCHOVER).isEmpty()) {
            text += "; no switchover commands: the step only waits for the role to move";
        }
        add("switchover:" + from + "->" + to, StepKind.SWITCHOVER, List.of(from, to), null, null, text, null);
        formerPrimary = from;
    }

    private void failback(String from, String to) {
        String text = "move the primary role from " + from + " back to " + to;
        if (rollout.commands(from, Phase.FAILBACK).isEmpty()) {
            text += "; no failback commands: the step only waits for the role to move";
        }
        add("failback:" + from + "->" + to, StepKind.FAILBACK, List.of(from, to), null, null, text, null);
    }

    /** An approval; {@code done} says what was done before it, the next work is added when the plan is built. */
    private void approval(String id, ApprovalPoint point, String done) {
        add(id, StepKind.APPROVAL, List.of(), null, point, done, null);
        approvalDone.set(steps.size() - 1, done);
    }

    /**
     * Preflight gate, the before-start approval, the before-all hook. When some nodes are done already (the engine
     * plans again mid-rollout), the after-first-node approval comes here: the journal skips it if it was given.
     *
     * @param done nodes of this rollout whose work is done
     * @param workLeft whether any node still has work
     */
    void opening(List<String> done, boolean workLeft) {
        preflightGate();
        if (rollout.approvals.contains(ApprovalPoint.BEFORE_START)) {
            approval("approval:before-start", ApprovalPoint.BEFORE_START, "preflight gate passed; nothing has changed yet");
        }
        hook(Hook.BEFORE_ALL, List.of());
        firstNodeDone = !done.isEmpty();
        if (firstNodeDone && workLeft && rollout.approvals.contains(ApprovalPoint.AFTER_FIRST_NODE)) {
            approval(FIRST_NODE_APPROVAL, ApprovalPoint.AFTER_FIRST_NODE,
                    who(done) + " already on " + rollout.target);
        }
    }

    /** The after-all hook and the final gate. */
    void closing() {
        hook(Hook.AFTER_ALL, List.of());
        finalGate();
    }

    /** What follows a batch, for deciding which approval (if any) comes after it. */
    enum Next { MORE_NODES, SWITCHOVER, FAILBACK, NOTHING }

    /**
     * After a batch's gate: the after-first-node or after-each-node approval when configured. None when nothing
     * follows, or when a switchover or failback follows that has its own approval (one question, not two).
     */
    void approvalAfter(List<String> batch, String done, Next next) {
        boolean first = !firstNodeDone;
        firstNodeDone = true;
        if (next == Next.NOTHING) {
            return;
        }
        ApprovalPoint own = next == Next.SWITCHOVER ? ApprovalPoint.BEFORE_SWITCHOVER
                : next == Next.FAILBACK ? ApprovalPoint.BEFORE_FAILBACK : null;
        if (own != null && rollout.approvals.contains(own)) {
            if (first && rollout.approvals.contains(ApprovalPoint.AFTER_FIRST_NODE)) {
                rollout.notes.add("the after-first-node approval is the " + Names.of(own)
                        + " approval here: one question, right after the first node");
            }
            return;
        }
        if (first && rollout.approvals.contains(ApprovalPoint.AFTER_FIRST_NODE)) {
            approval(FIRST_NODE_APPROVAL, ApprovalPoint.AFTER_FIRST_NODE, done);
        } else if (rollout.approvals.contains(ApprovalPoint.AFTER_EACH_NODE)) {
            approval("approval:after:" + key(batch), ApprovalPoint.AFTER_EACH_NODE, done);
        }
    }

    /** The before-switchover approval when configured, then the switchover. */
    void approvedSwitchover(String from, String to, String done) {
        if (rollout.approvals.contains(ApprovalPoint.BEFORE_SWITCHOVER)) {
            approval("approval:before-switchover", ApprovalPoint.BEFORE_SWITCHOVER, done);
        }
        switchover(from, to);
    }

    /** The before-failback approval when configured, then the failback. */
    void approvedFailback(String from, String to, String done) {
        if (rollout.approvals.contains(ApprovalPoint.BEFORE_FAILBACK)) {
            approval("approval:before-failback", ApprovalPoint.BEFORE_FAILBACK, done);
        }
        failback(from, to);
    }

    List<PlanStep> build() {
        List<PlanStep> built = new ArrayList<>(steps.size());
        for (int i = 0; i < steps.size(); i++) {
            PlanStep s = steps.get(i);
            String description = s.kind() == StepKind.APPROVAL ? approvalDone.get(i) + "; next: " + nextWork(i) : s.description();
            built.add(new PlanStep(i + 1, s.id(), s.kind(), s.nodes(), s.phase(), s.approval(), description, s.hook()));
        }
        return built;
    }

    /** As {@link Rollout#who}, but the primary after its switchover is the former primary. */
    private String who(List<String> nodes) {
        if (formerPrimary != null && nodes.equals(List.of(formerPrimary))) {
            return "former primary " + formerPrimary;
        }
        return rollout.who(nodes);
    }

    static String key(List<String> nodes) {
        return String.join("+", nodes);
    }

    private void add(String id, StepKind kind, List<String> nodes, Phase phase, ApprovalPoint approval,
                     String description, Hook hook) {
        if (!ids.add(id)) {
            throw new IllegalStateException("planner produced the step id " + id + " twice");
        }
        steps.add(new PlanStep(steps.size() + 1, id, kind, nodes, phase, approval, description, hook));
        approvalDone.add(null);
    }

    /** The next work after step {@code i}, in words a person can act on. */
    private String nextWork(int i) {
        for (int j = i + 1; j < steps.size(); j++) {
            PlanStep s = steps.get(j);
            switch (s.kind()) {
                case SWITCHOVER -> {
                    boolean upgradesFrom = steps.subList(j + 1, steps.size()).stream()
                            .anyMatch(t -> t.kind() == StepKind.NODE_PHASE && t.nodes().contains(s.from()));
                    return "switch over from " + s.from() + " to " + s.to()
                            + (upgradesFrom ? " and upgrade " + rollout.who(List.of(s.from())) : "");
                }
                case FAILBACK -> {
                    return "fail back the primary role from " + s.from() + " to " + s.to();
                }
                case NODE_PHASE -> {
                    return switch (s.phase()) {
                        case JOIN -> "join " + who(s.nodes());
                        case LEAVE -> "remove " + who(s.nodes()) + " from the cluster";
                        case SNAPSHOT, FENCE, STOP -> rollout.strategy == Strategy.FULL_STOP
                                ? "take " + who(s.nodes()) + " down and upgrade them (the downtime starts)"
                                : "upgrade " + who(s.nodes());
                        default -> "upgrade " + who(s.nodes());
                    };
                }
                default -> {
                }
            }
        }
        return steps.stream().skip(i + 1).anyMatch(s -> s.kind() == StepKind.HOOK)
                ? "the after-all hook and the final gate" : "the final gate";
    }

    private String phaseText(List<String> nodes, Phase phase) {
        String who = who(nodes);
        String them = nodes.size() == 1 ? "it" : "them";
        return switch (phase) {
            case SNAPSHOT -> "snapshot " + who;
            case FENCE -> "fence " + who + ": take " + them + " out of service";
            case UPGRADE -> "upgrade " + who + " to " + rollout.target;
            case REBOOT -> "reboot " + who + " and wait until SSH answers (at most "
                    + Durations.format(rollout.spec.policy().timeouts().reboot()) + ")";
            case VERIFY -> "verify " + who + (nodes.size() == 1 ? ": runs " + rollout.target + " and passes the checks"
                    : ": each runs " + rollout.target + " and passes the checks");
            case UNFENCE -> "unfence " + who + ": bring " + them + " back into service";
            case STOP -> "stop the service on " + who;
            case START -> "start the service on " + who;
            case JOIN -> "join " + who + " to the cluster";
            case LEAVE -> "remove " + who + " from the cluster";
            default -> Names.of(phase) + " " + who;
        };
    }

    private static String summary(List<CommandSpec> commands) {
        List<String> described = commands.stream().map(CommandSpec::description).filter(d -> d != null && !d.isBlank())
                .toList();
        String count = commands.size() == 1 ? "1 command" : commands.size() + " commands";
        return described.size() == commands.size() ? String.join("; ", described) : count;
    }
}
