package io.haupgrade.plan;

import io.haupgrade.spec.ApprovalPoint;
import io.haupgrade.spec.Phase;
import java.util.List;

/**
 * One step of a plan. The {@code id} is readable, unique within the plan and the same when the same work is
 * planned again (the journal keys on it): {@code gate:preflight}, {@code hook:before-all},
 * {@code node:lb2:fence} (a batch joins its nodes with {@code +}), {@code gate:after:lb2},
 * {@code switchover:lb1->lb2}, {@code approval:before-switchover}, {@code failback:lb2->lb1}, {@code gate:final}.
 *
 * @param index       1-based position in the plan
 * @param nodes       NODE_PHASE: the batch; SWITCHOVER/FAILBACK: [from, to]; GATE: the nodes the gate follows
 *                    (empty for preflight and final); HOOK: the batch for before/after-node hooks
 * @param phase       the phase of a NODE_PHASE step, else null
 * @param approval    the approval point of an APPROVAL step, else null
 * @param description what the step does, in words; for an approval, what was done and what comes next
 * @param hook        the hook of a HOOK step, else null
 */
public record PlanStep(int index, String id, StepKind kind, List<String> nodes, Phase phase, ApprovalPoint approval,
                       String description, Hook hook) {

    public PlanStep {
        nodes = nodes == null ? List.of() : List.copyOf(nodes);
    }

    public PlanStep(int index, String id, StepKind kind, List<String> nodes, Phase phase, ApprovalPoint approval,
                    String description) {
        this(index, id, kind, nodes, phase, approval, description, null);
    }

    /** The node a role moves away from (SWITCHOVER, FAILBACK). */
    public String from() {
        return roleMove().get(0);
    }

    /** The node a role moves to (SWITCHOVER, FAILBACK). */
    public String to() {
        return roleMove().get(1);
    }

    private List<String> roleMove() {
        if (kind != StepKind.SWITCHOVER && kind != StepKind.FAILBACK) {
            throw new IllegalStateException("step " + id + " is a " + kind + ", not a role move");
        }
        return nodes;
    }

    /** True for a NODE_PHASE step of the given phase. */
    public boolean is(Phase phase) {
        return kind == StepKind.NODE_PHASE && this.phase == phase;
    }
}
