package io.haupgrade.plan;

import io.haupgrade.spec.NodeGroup;
import io.haupgrade.spec.Phase;
import java.util.List;

/** Refusals shared by the strategies: things no order of steps can make safe. */
final class Preconditions {
    private Preconditions() {
    }

    /** A node that is fenced (or stopped) must have a way back into service. */
    static void undoable(Rollout rollout, List<String> nodes, Phase out, Phase back) throws PlanException {
        for (String node : nodes) {
            if (!rollout.commands(node, out).isEmpty() && rollout.commands(node, back).isEmpty()) {
                throw new PlanException("node " + node + " has " + Names.of(out) + " commands but no " + Names.of(back)
                        + " commands: it would stay out of service",
                        "write commands." + Names.of(back) + " (for the cluster or for node " + node + ")");
            }
        }
    }

    /** Every group that one of {@code nodes} belongs to must allow at least one member down. */
    static void groupsAllowOneDown(Rollout rollout, List<String> nodes) throws PlanException {
        for (NodeGroup group : rollout.spec.groups()) {
            String member = nodes.stream().filter(group.members()::contains).findFirst().orElse(null);
            if (member != null && group.maxUnavailable() < 1) {
                throw new PlanException("group " + group.name() + " allows " + group.maxUnavailable()
                        + " members down, but its member " + member + " must be taken down to be upgraded",
                        "set maxUnavailable of group " + group.name() + " to at least 1");
            }
        }
    }

    static void policyAllowsOneDown(Rollout rollout) throws PlanException {
        int max = rollout.spec.policy().maxUnavailable();
        if (max < 1) {
            throw new PlanException("policy.maxUnavailable is " + max + ": no node may be taken down to be upgraded",
                    "set policy.maxUnavailable to at least 1");
        }
    }
}
