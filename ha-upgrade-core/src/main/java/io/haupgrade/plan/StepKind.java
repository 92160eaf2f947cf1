package io.haupgrade.plan;

/** What a plan step does. */
public enum StepKind {
    /** A health gate: the cluster must be green before the rollout goes on. */
    GATE,
    /** Cluster-wide commands around the rollout or around a node; {@link PlanStep#hook()} says which. */
    HOOK,
    /** One phase of a node's (or a batch's) upgrade; {@link PlanStep#phase()} says which. */
    NODE_PHASE,
    /** Moves the primary role from {@code nodes[0]} to {@code nodes[1]}. */
    SWITCHOVER,
    /** Moves the primary role back from {@code nodes[0]} to the original primary {@code nodes[1]}. */
    FAILBACK,
    /** A person must approve before the rollout goes on; {@link PlanStep#approval()} says which point. */
    APPROVAL
}
