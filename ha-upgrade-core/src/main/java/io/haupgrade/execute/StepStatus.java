package io.haupgrade.execute;

/** How one plan step ended. */
public enum StepStatus {
    SUCCEEDED,
    FAILED,
    TIMED_OUT,
    /** A person chose to go on without it, or it had nothing to do. */
    SKIPPED,
    /** Found done already on resume (e.g. the node runs the target version): checked, not run again. */
    ALREADY_DONE,
    /** Interrupted by an abort or cancellation. */
    ABORTED;

    public boolean done() {
        return this == SUCCEEDED || this == SKIPPED || this == ALREADY_DONE;
    }
}
