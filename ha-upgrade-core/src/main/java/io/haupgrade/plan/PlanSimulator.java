package io.haupgrade.plan;

import io.haupgrade.spec.ClusterSpec;
import io.haupgrade.spec.Membership;
import io.haupgrade.spec.NodeGroup;
import io.haupgrade.spec.NodeSpec;
import io.haupgrade.spec.Phase;
import io.haupgrade.spec.Strategy;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Walks a plan and tracks, from the plan alone, which nodes are members, out of service, upgraded, and which holds
 * the primary role; checks the safety rules on the way. The planner checks every plan with it before returning it,
 * the property tests check it over random clusters, and the engine may use it to show what a step will do.
 *
 * <p>Rules: never more than policy.maxUnavailable members out of service, nor more than a group allows, and for a
 * quorum stack always a strict majority of members up (all three waived by full-stop, whose downtime is explicit);
 * the primary never out of service while it holds the role; in rolling, canary and active-passive the primary is
 * touched only after every other member is upgraded; a role moves only from the primary to a member that is upgraded
 * and in service; each node's phases in order; every fence undone by an unfence (or a rollback), every stop by a
 * start; at the end every node's work done and nothing out of service.
 */
public final class PlanSimulator {

    private static final List<Phase> ORDER = List.of(Phase.SNAPSHOT, Phase.JOIN, Phase.FENCE, Phase.STOP, Phase.UPGRADE,
            Phase.REBOOT, Phase.START, Phase.VERIFY, Phase.UNFENCE, Phase.LEAVE);
    private static final Set<Phase> DISTURBS = EnumSet.of(Phase.FENCE, Phase.STOP, Phase.UPGRADE, Phase.REBOOT, Phase.LEAVE);
    private static final Set<Strategy> IN_PLACE = EnumSet.of(Strategy.ROLLING, Strategy.CANARY, Strategy.ACTIVE_PASSIVE);

    private final ClusterSpec spec;
    private final Plan plan;
    private final List<String> violations = new ArrayList<>();
    private final Set<String> members = new LinkedHashSet<>();
    private final Set<String> left = new LinkedHashSet<>();
    private final Set<String> upgraded = new LinkedHashSet<>();
    private final Set<String> fenced = new HashSet<>();
    private final Set<String> stopped = new HashSet<>();
    /** Down without a fence or stop: being upgraded in place, or joining, until verified. */
    private final Set<String> down = new HashSet<>();
    private final Map<String, Integer> lastRank = new HashMap<>();
    private String primary;

    private PlanSimulator(ClusterSpec spec, Plan plan) {
        this.spec = spec;
        this.plan = plan;
    }

    public static Simulation simulate(ClusterSpec spec, Plan plan) {
        return new PlanSimulator(spec, plan).run();
    }

    private Simulation run() {
        Set<String> done = new HashSet<>(plan.alreadyUpgraded());
        for (NodeSpec node : spec.nodes()) {
            boolean member = node.membership() == Membership.MEMBER;
            if (plan.strategy() == Strategy.REPLACE && done.contains(node.name())) {
                (member ? left : members).add(node.name());
                if (!member) {
                    upgraded.add(node.name());
                }
            } else if (member) {
                members.add(node.name());
                if (done.contains(node.name())) {
                    upgraded.add(node.name());
                }
            }
        }
        primary = plan.primary();
        String initialPrimary = primary;
        List<SimulatedStep> states = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        List<PlanStep> steps = plan.steps();
        for (int i = 0; i < steps.size(); i++) {
            PlanStep step = steps.get(i);
            if (step.index() != i + 1) {
                violation(step, "has index " + step.index() + " at position " + (i + 1));
            }
            if (!ids.add(step.id())) {
                violation(step, "repeats the id of an earlier step");
            }
            apply(step, initialPrimary);
            Set<String> out = outOfService();
            checkLimits(step, out);
            states.add(new SimulatedStep(step, members, out, left, upgraded, primary));
        }
        checkEnd(steps);
        return new Simulation(states, violations);
    }

    private void apply(PlanStep step, String initialPrimary) {
        switch (step.kind()) {
            case NODE_PHASE -> {
                for (String node : step.nodes()) {
                    applyPhase(step, node, initialPrimary);
                }
            }
            case SWITCHOVER, FAILBACK -> {
                String from = step.from();
                String to = step.to();
                if (!from.equals(primary)) {
                    violation(step, "moves the primary role from " + from + ", but the primary is " + primary);
                }
                if (!members.contains(to) || outOfService().contains(to)) {
                    violation(step, "moves the primary role to " + to + ", which is not a member in service");
                } else if (plan.strategy() != Strategy.FULL_STOP && !upgraded.contains(to)) {
                    violation(step, "moves the primary role to " + to + ", which is not upgraded yet");
                }
                primary = to;
            }
            default -> {
            }
        }
    }

    private void applyPhase(PlanStep step, String node, String initialPrimary) {
        Phase phase = step.phase();
        int rank = ORDER.indexOf(phase);
        if (rank >= 0) {
            Integer last = lastRank.put(node, rank);
            if (last != null && last >= rank) {
                violation(step, "runs " + Names.of(phase) + " on " + node + " after " + Names.of(ORDER.get(last)));
            }
        }
        if (phase != Phase.JOIN && !members.contains(node)) {
            violation(step, "works on " + node + ", which is not a member of the cluster");
        }
        if (IN_PLACE.contains(plan.strategy()) && node.equals(initialPrimary) && DISTURBS.contains(phase)) {
            List<String> behind = members.stream().filter(n -> !n.equals(node) && !upgraded.contains(n)).toList();
            if (!behind.isEmpty()) {
                violation(step, "touches the primary " + node + " before its standbys " + String.join(", ", behind)
                        + " are upgraded");
            }
        }
        switch (phase) {
            case FENCE -> fenced.add(node);
            case STOP -> stopped.add(node);
            case UPGRADE, REBOOT -> {
                if (!fenced.contains(node) && !stopped.contains(node)) {
                    down.add(node);
                }
            }
            case START -> stopped.remove(node);
            case VERIFY -> {
                if (stopped.contains(node)) {
                    violation(step, "verifies " + node + " while it is stopped");
                }
                down.remove(node);
                upgraded.add(node);
            }
            case UNFENCE, ROLLBACK, RESTORE -> {
                fenced.remove(node);
                down.remove(node);
            }
            case JOIN -> {
                if (members.contains(node) || left.contains(node)) {
                    violation(step, "joins " + node + ", which is or was a member already");
                }
                members.add(node);
                down.add(node);
            }
            case LEAVE -> {
                if (node.equals(primary)) {
                    violation(step, "removes " + node + " while it holds the primary role");
                }
                members.remove(node);
                left.add(node);
                fenced.remove(node);
                down.remove(node);
            }
            default -> {
            }
        }
    }

    private Set<String> outOfService() {
        Set<String> out = new TreeSet<>();
        for (String node : members) {
            if (fenced.contains(node) || stopped.contains(node) || down.contains(node)) {
                out.add(node);
            }
        }
        return out;
    }

    private void checkLimits(PlanStep step, Set<String> out) {
        if (plan.strategy() == Strategy.FULL_STOP) {
            return;
        }
        int max = spec.policy().maxUnavailable();
        if (out.size() > max) {
            violation(step, "has " + out.size() + " members out of service " + out + ", more than policy.maxUnavailable " + max);
        }
        for (NodeGroup group : spec.groups()) {
            List<String> groupOut = group.members().stream().filter(out::contains).toList();
            if (groupOut.size() > group.maxUnavailable()) {
                violation(step, "has " + groupOut + " of group " + group.name() + " out of service, more than its "
                        + "maxUnavailable " + group.maxUnavailable());
            }
        }
        if (Boolean.TRUE.equals(spec.policy().quorum()) && 2 * (members.size() - out.size()) <= members.size()) {
            violation(step, "keeps only " + (members.size() - out.size()) + " of " + members.size()
                    + " quorum members up, no majority");
        }
        if (primary != null && out.contains(primary)) {
            violation(step, "takes the primary " + primary + " out of service while it holds the role");
        }
    }

    private void checkEnd(List<PlanStep> steps) {
        if (steps.isEmpty() || !steps.get(0).id().equals("gate:preflight")) {
            violations.add("the plan does not start with the preflight gate");
        }
        if (steps.isEmpty() || !steps.get(steps.size() - 1).id().equals("gate:final")) {
            violations.add("the plan does not end with the final gate");
        }
        fenced.forEach(n -> violations.add("node " + n + " is fenced and never unfenced"));
        stopped.forEach(n -> violations.add("node " + n + " is stopped and never started"));
        down.forEach(n -> violations.add("node " + n + " is taken down and never verified"));
        for (NodeSpec node : spec.nodes()) {
            boolean member = node.membership() == Membership.MEMBER;
            String name = node.name();
            if (plan.strategy() == Strategy.REPLACE) {
                if (member && !left.contains(name)) {
                    violations.add("old node " + name + " never leaves the cluster");
                }
                if (!member && !(members.contains(name) && upgraded.contains(name))) {
                    violations.add("incoming node " + name + " never joins the cluster verified");
                }
            } else if (member && !upgraded.contains(name)) {
                violations.add("node " + name + " is never upgraded and verified");
            }
        }
        if (primary != null && !members.contains(primary)) {
            violations.add("the primary " + primary + " is no member at the end");
        }
    }

    private void violation(PlanStep step, String what) {
        violations.add("step " + step.index() + " (" + step.id() + ") " + what);
    }
}
