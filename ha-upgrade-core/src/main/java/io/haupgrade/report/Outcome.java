package io.haupgrade.report;

/** How a run ended. */
public enum Outcome {
    /** Every node reached the target version and the last gate was green. */
    SUCCEEDED,
    /** A phase, gate, check or the downtime budget failed; {@link RunReport#stoppedAt()} says where. */
    FAILED,
    /** A person stopped the run, rejected an approval, or an approval timed out with "abort". */
    ABORTED
}
