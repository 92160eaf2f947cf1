package io.haupgrade.plan;

import java.util.Set;

/**
 * The state of the cluster after one step of a plan, as the plan itself says it will be.
 *
 * @param members      the nodes in the cluster (incoming nodes count once they joined; old ones no more once they left)
 * @param outOfService members fenced, stopped, or down while being upgraded or while joining
 * @param left         nodes that left the cluster (replace)
 * @param upgraded     nodes verified on the target version (including those done before the plan)
 * @param primary      the node holding the primary role, or null
 */
public record SimulatedStep(PlanStep step, Set<String> members, Set<String> outOfService, Set<String> left,
                            Set<String> upgraded, String primary) {

    public SimulatedStep {
        members = Set.copyOf(members);
        outOfService = Set.copyOf(outOfService);
        left = Set.copyOf(left);
        upgraded = Set.copyOf(upgraded);
    }
}
