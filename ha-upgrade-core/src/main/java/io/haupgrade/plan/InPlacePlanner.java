package io.haupgrade.plan;

import io.haupgrade.plan.StepSequence.Next;
import io.haupgrade.spec.Phase;
import io.haupgrade.spec.Strategy;
import java.util.ArrayList;
import java.util.List;

/**
 * rolling, canary and active-passive: the nodes are upgraded where they stand, standbys first in batches, the
 * primary last after a switchover, then an optional failback. canary upgrades one standby alone first;
 * active-passive insists on knowing the primary.
 */
final class InPlacePlanner implements StrategyPlanner {

    @Override
    public void plan(Rollout r, StepSequence steps) throws PlanException {
        List<String> pending = r.pendingMembers();
        List<String> doneMembers = r.members.stream().filter(r.done::contains).toList();
        if (r.strategy == Strategy.ACTIVE_PASSIVE && r.primary == null) {
            throw new PlanException("active-passive needs to know the primary of cluster " + r.spec.name()
                    + ", and no node is primary", "declare role: primary on the active node, or configure discovery.role");
        }
        if (!r.incoming.isEmpty()) {
            r.notes.add("incoming nodes " + String.join(", ", r.incoming) + " take no part in " + Names.of(r.strategy)
                    + "; only replace joins them");
        }
        int limit = pending.isEmpty() ? 1 : batchLimit(r);
        Preconditions.groupsAllowOneDown(r, pending);
        Preconditions.undoable(r, pending, Phase.FENCE, Phase.UNFENCE);

        List<String> standbys = pending.stream().filter(n -> !n.equals(r.primary)).toList();
        List<List<String>> batches = new ArrayList<>();
        if (r.strategy == Strategy.CANARY && doneMembers.isEmpty() && !standbys.isEmpty()) {
            batches.add(List.of(standbys.get(0)));
            batches.addAll(Batches.pack(standbys.subList(1, standbys.size()), limit, r.spec.groups()));
            r.notes.add("canary: " + r.who(batches.get(0)) + " is upgraded alone first");
        } else {
            batches.addAll(Batches.pack(standbys, limit, r.spec.groups()));
        }
        String finalPrimary = r.primaryPending() ? switchoverTarget(r) : r.primary;
        boolean failback = failbackDue(r, finalPrimary);

        steps.opening(doneMembers, !pending.isEmpty());
        for (int i = 0; i < batches.size(); i++) {
            List<String> batch = batches.get(i);
            upgrade(steps, batch);
            Next next = i < batches.size() - 1 ? Next.MORE_NODES
                    : r.primaryPending() ? Next.SWITCHOVER : failback ? Next.FAILBACK : Next.NOTHING;
            steps.approvalAfter(batch, r.who(batch) + " upgraded to " + r.target + " and verified", next);
        }
        if (r.primaryPending()) {
            List<String> others = r.members.stream().filter(n -> !n.equals(r.primary)).toList();
            steps.approvedSwitchover(r.primary, finalPrimary,
                    r.who(others) + (others.size() == 1 ? " runs " + r.target + " and is verified"
                            : " run " + r.target + " and are verified"));
            upgrade(steps, List.of(r.primary));
            steps.approvalAfter(List.of(r.primary), "former " + r.who(List.of(r.primary)) + " upgraded to " + r.target
                    + " and verified", failback ? Next.FAILBACK : Next.NOTHING);
        }
        if (failback) {
            steps.approvedFailback(finalPrimary, r.originalPrimary,
                    "every node runs " + r.target + " and is verified; " + finalPrimary + " is primary");
        }
        steps.closing();
    }

    /** One batch: the phases that have commands (verify always), the hooks around it and the gate after it. */
    private static void upgrade(StepSequence steps, List<String> batch) {
        steps.hook(Hook.BEFORE_NODE, batch);
        steps.phase(batch, Phase.SNAPSHOT, false);
        steps.phase(batch, Phase.FENCE, false);
        steps.phase(batch, Phase.UPGRADE, false);
        steps.phase(batch, Phase.REBOOT, false);
        steps.phase(batch, Phase.VERIFY, true);
        steps.phase(batch, Phase.UNFENCE, false);
        steps.hook(Hook.AFTER_NODE, batch);
        steps.gateAfter(batch);
    }

    /** The first other member in spec order: upgraded by the time the primary's turn comes. */
    private static String switchoverTarget(Rollout r) {
        return r.members.stream().filter(n -> !n.equals(r.primary)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no switchover target beside " + r.primary));
    }

    private static boolean failbackDue(Rollout r, String finalPrimary) {
        if (!r.spec.policy().failback()) {
            return false;
        }
        if (r.originalPrimary == null || finalPrimary == null) {
            r.notes.add("failback: no primary known, nothing to fail back");
            return false;
        }
        return !r.originalPrimary.equals(finalPrimary) && r.members.contains(r.originalPrimary);
    }

    /**
     * The most nodes that may be down together: policy.maxUnavailable, at most all members but one, and for a
     * quorum stack fewer than half of the members.
     */
    private static int batchLimit(Rollout r) throws PlanException {
        Preconditions.policyAllowsOneDown(r);
        int members = r.members.size();
        String name = Names.of(r.strategy);
        if (members == 1) {
            throw new PlanException("cluster " + r.spec.name() + " has a single member, " + r.members.get(0) + ": "
                    + name + " would take the service down while it is upgraded",
                    "use --strategy full-stop, which states the downtime, or add a node with membership: incoming and use replace");
        }
        if (r.quorum() && members == 2) {
            throw new PlanException("quorum stack " + r.spec.name() + " has 2 members: taking one down for " + name
                    + " loses the majority", "use replace (join new members first) or full-stop; if the stack keeps "
                    + "quorum with two nodes (corosync two_node), set policy.quorum: false");
        }
        int max = r.spec.policy().maxUnavailable();
        int limit = Math.min(max, members - 1);
        String why = "policy.maxUnavailable " + max;
        if (r.quorum() && (members - 1) / 2 < limit) {
            limit = (members - 1) / 2;
            why = "a majority of the " + members + " quorum members stays up";
        } else if (limit < max) {
            why = "one of the " + members + " members keeps serving";
        }
        r.notes.add("batches of up to " + limit + (limit == 1 ? " node" : " nodes") + " (" + why + ")"
                + (r.spec.groups().isEmpty() ? "" : ", never more than a group allows"));
        return limit;
    }
}
