package io.haupgrade.report;

/** Where a node ended up. */
public enum NodeOutcome {
    /** Runs the target version, in service. */
    UPGRADED,
    /** Already ran the target version; nothing was done. */
    ALREADY_CURRENT,
    /** The upgrade failed and the node was rolled back (or restored) to its old version. */
    ROLLED_BACK,
    /** A phase failed and the node was left as it was then; see the fences still held. */
    FAILED,
    /** The run stopped before it reached this node. */
    NOT_REACHED
}
