package io.haupgrade.report;

/** The answer to an approval. */
public enum Decision {
    APPROVED,
    REJECTED,
    /** Nobody answered within the approval timeout; the spec's {@code onTimeout} decided what followed. */
    TIMED_OUT
}
