package io.haupgrade.plan;

import io.haupgrade.plan.StepSequence.Next;
import io.haupgrade.spec.Phase;
import java.util.ArrayList;
import java.util.List;

/**
 * replace: the incoming nodes (already on the target version) join one at a time, the primary role moves to the
 * first of them, then the old nodes leave one at a time, the old primary last. One membership change at a time keeps
 * a quorum stack's majority.
 */
final class ReplacePlanner implements StrategyPlanner {

    @Override
    public void plan(Rollout r, StepSequence steps) throws PlanException {
        if (r.incoming.isEmpty()) {
            throw new PlanException("replace needs new-version nodes to join cluster " + r.spec.name()
                    + ", and the spec has none", "add the new nodes with membership: incoming, or choose another strategy");
        }
        List<String> joining = r.incoming.stream().filter(n -> !r.done.contains(n)).toList();
        List<String> leaving = new ArrayList<>(r.pendingMembers());
        if (r.primary != null && r.members.contains(r.primary) && r.done.contains(r.primary)) {
            throw new PlanException("the primary " + r.primary + " is listed as done, but in a replace rollout an old "
                    + "node is done when it has left", "plan again with the roles discovered now");
        }
        int serving = leaving.size() + (r.incoming.size() - joining.size());
        if (serving == 0 && !joining.isEmpty()) {
            throw new PlanException("no member of cluster " + r.spec.name() + " is left to let "
                    + String.join(", ", joining) + " join", "check which nodes are listed as done");
        }
        if (!joining.isEmpty()) {
            Preconditions.policyAllowsOneDown(r);
            Preconditions.groupsAllowOneDown(r, joining);
            if (r.quorum() && serving == 1) {
                throw new PlanException("quorum stack " + r.spec.name() + " has a single member: while the first new "
                        + "member joins, the cluster has 2 members and only 1 up, which is no majority",
                        "use --strategy full-stop, which states the downtime");
            }
        }
        if (r.spec.policy().failback()) {
            r.notes.add("failback does not apply to replace: the old primary leaves the cluster");
        }
        if (!joining.isEmpty() && !r.anyCommands(joining, Phase.JOIN)) {
            r.notes.add("no join commands: the incoming nodes are expected to join by themselves; each join step waits for its checks");
        }
        if (!leaving.isEmpty() && !r.anyCommands(leaving, Phase.LEAVE)) {
            r.notes.add("no leave commands: the old nodes are expected to leave by themselves");
        }
        r.notes.add("the cluster goes from " + serving + " to " + r.incoming.size()
                + " members; " + joining.size() + " join, " + leaving.size() + " leave, one at a time");

        boolean primaryLeaves = r.primary != null && leaving.contains(r.primary);
        // The old primary leaves last, also when the engine plans again after the role moved away from it.
        if (r.originalPrimary != null && leaving.remove(r.originalPrimary)) {
            leaving.add(r.originalPrimary);
        }
        if (r.primary == null && !leaving.isEmpty()) {
            r.notes.add("no primary known: the stack chooses the new leader when the old nodes leave");
        }
        List<String> doneNodes = r.spec.nodes().stream().map(n -> n.name()).filter(r.done::contains).toList();
        steps.opening(doneNodes, !joining.isEmpty() || !leaving.isEmpty());
        for (int i = 0; i < joining.size(); i++) {
            List<String> node = List.of(joining.get(i));
            steps.hook(Hook.BEFORE_NODE, node);
            steps.phase(node, Phase.JOIN, true);
            steps.phase(node, Phase.VERIFY, true);
            steps.hook(Hook.AFTER_NODE, node);
            steps.gateAfter(node);
            Next next = i < joining.size() - 1 || !primaryLeaves && !leaving.isEmpty() ? Next.MORE_NODES
                    : primaryLeaves ? Next.SWITCHOVER : Next.NOTHING;
            steps.approvalAfter(node, r.who(node) + " joined on " + r.target + " and verified", next);
        }
        if (primaryLeaves) {
            steps.approvedSwitchover(r.primary, r.incoming.get(0),
                    r.who(r.incoming) + " joined on " + r.target + " and verified");
        }
        for (int i = 0; i < leaving.size(); i++) {
            List<String> node = List.of(leaving.get(i));
            steps.hook(Hook.BEFORE_NODE, node);
            steps.phase(node, Phase.LEAVE, true);
            steps.hook(Hook.AFTER_NODE, node);
            steps.gateAfter(node);
            steps.approvalAfter(node, r.who(node) + " left the cluster",
                    i < leaving.size() - 1 ? Next.MORE_NODES : Next.NOTHING);
        }
        steps.closing();
    }
}
