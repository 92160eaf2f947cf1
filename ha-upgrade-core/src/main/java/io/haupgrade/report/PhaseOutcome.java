package io.haupgrade.report;

/** How one phase on one node ended. */
public enum PhaseOutcome {
    SUCCEEDED,
    FAILED,
    TIMED_OUT,
    /** Not run: nothing to do (no commands, already at the target version) or skipped by a person. */
    SKIPPED,
    /** Interrupted because the run was aborted. */
    ABORTED
}
