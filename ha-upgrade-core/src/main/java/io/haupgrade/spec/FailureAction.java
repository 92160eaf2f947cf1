package io.haupgrade.spec;

/** What the rollout does when a phase on a node fails. */
@Doc("What the rollout does when a phase on a node fails. No further node is touched after a failure unless a person approves.")
public enum FailureAction {
    @Doc("Run the node's rollback (or restore-snapshot) commands, verify, unfence if healthy, stop the rollout.")
    ROLLBACK,
    @Doc("Wait for a person to choose retry, skip or abort.")
    PAUSE,
    @Doc("Stop at once; the node stays fenced and the report says so loudly.")
    ABORT
}
