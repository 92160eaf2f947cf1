package io.haupgrade.spec;

/** Where in a rollout a person must approve before it goes on. */
@Doc("A point in the rollout where a person must approve before it goes on.")
public enum ApprovalPoint {
    @Doc("After the preflight gate, before any node is touched.")
    BEFORE_START,
    @Doc("After the first node (or batch) is upgraded and verified; the canary checkpoint.")
    AFTER_FIRST_NODE,
    @Doc("After each node (or batch) is upgraded and verified.")
    AFTER_EACH_NODE,
    @Doc("Before the primary role is moved away from the primary.")
    BEFORE_SWITCHOVER,
    @Doc("Before the role is moved back to the original primary.")
    BEFORE_FAILBACK
}
