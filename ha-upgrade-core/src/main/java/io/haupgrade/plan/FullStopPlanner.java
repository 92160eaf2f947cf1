package io.haupgrade.plan;

import io.haupgrade.spec.ApprovalPoint;
import io.haupgrade.spec.Phase;
import java.util.ArrayList;
import java.util.List;

/**
 * full-stop, for versions that cannot run side by side: snapshot all, fence all, stop all, upgrade the primary (it
 * migrates shared state such as a database schema) then the others, start the primary then the others, verify all,
 * unfence all. The service is down in between; {@link Downtime} bounds how long.
 */
final class FullStopPlanner implements StrategyPlanner {

    @Override
    public void plan(Rollout r, StepSequence steps) throws PlanException {
        List<String> all = r.pendingMembers();
        Preconditions.undoable(r, all, Phase.FENCE, Phase.UNFENCE);
        Preconditions.undoable(r, all, Phase.STOP, Phase.START);
        if (!r.incoming.isEmpty()) {
            r.notes.add("incoming nodes " + String.join(", ", r.incoming) + " take no part in full-stop; only replace joins them");
        }
        if (r.spec.policy().failback()) {
            r.notes.add("failback does not apply to full-stop: the primary keeps its role");
        }
        List<ApprovalPoint> skipped = r.approvals.stream().filter(p -> p != ApprovalPoint.BEFORE_START).sorted().toList();
        if (!skipped.isEmpty()) {
            r.notes.add("approval points " + Names.list(skipped) + " do not apply to full-stop: nobody is asked to "
                    + "approve while the service is down (before-start does apply)");
        }
        if (!all.isEmpty() && !r.anyCommands(all, Phase.STOP)) {
            r.notes.add("no stop commands: the service is not stopped explicitly; the upgrade commands take it down");
        }
        String primary = r.primaryPending() ? r.primary : null;
        List<List<String>> order = new ArrayList<>();
        if (primary != null) {
            order.add(List.of(primary));
        }
        List<String> others = all.stream().filter(n -> !n.equals(primary)).toList();
        if (!others.isEmpty()) {
            order.add(others);
        }

        steps.opening(r.members.stream().filter(r.done::contains).toList(), !all.isEmpty());
        if (!all.isEmpty()) {
            steps.hook(Hook.BEFORE_NODE, all);
            steps.phase(all, Phase.SNAPSHOT, false);
            steps.phase(all, Phase.FENCE, false);
            steps.phase(all, Phase.STOP, false);
            for (List<String> part : order) {
                steps.phase(part, Phase.UPGRADE, false);
                steps.phase(part, Phase.REBOOT, false);
            }
            for (List<String> part : order) {
                steps.phase(part, Phase.START, false);
            }
            steps.phase(all, Phase.VERIFY, true);
            steps.phase(all, Phase.UNFENCE, false);
            steps.hook(Hook.AFTER_NODE, all);
            steps.gateAfter(all);
        }
        steps.closing();
    }
}
