package io.haupgrade.execute;

/** How a run ended. */
public enum RunStatus {
    /** Every node at the target version, the final gate green, no fence held. */
    SUCCEEDED,
    /** A phase, gate or check failed; the failure policy ran. */
    FAILED,
    /** A person aborted, an approval timed out with "abort", or the run was cancelled. */
    ABORTED,
    /** Refused before any node was touched: lock held, preflight gate red, roles disagree, plan refused. */
    REFUSED
}
