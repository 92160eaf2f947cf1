package io.haupgrade.execute;

import io.haupgrade.report.ApprovalRecord;
import java.time.Instant;
import java.util.List;

/**
 * The answer to an {@link ApprovalRequest}: who answered, when, and what. {@link Answer#TIMED_OUT} is nobody's
 * answer ({@code by} is null) and is never confused with a person's {@link Answer#ABORT}.
 *
 * @param groups     the approver's groups, for the request's submitters (the driver resolves them; may be empty)
 * @param admittedAs null, or how the driver admitted an approver whom the submitters do not name as written (e.g.
 *                   "Jenkins administrator", or a submitter the driver matched ignoring case): the driver checked who
 *                   may answer and vouches for it, and the journal and report say so
 */
public record ApprovalDecision(String requestId, Answer answer, String by, List<String> groups, String admittedAs,
        Instant at, String comment) {

    public ApprovalDecision {
        groups = groups == null ? List.of() : List.copyOf(groups);
    }

    public static ApprovalDecision of(String requestId, Answer answer, String by, Instant at, String comment) {
        return new ApprovalDecision(requestId, answer, by, List.of(), null, at, comment);
    }

    public static ApprovalDecision timedOut(ApprovalRequest request, Instant at) {
        return new ApprovalDecision(request.id(), Answer.TIMED_OUT, null, List.of(), null, at,
                "no answer within " + request.timeout() + "; on timeout: " + request.onTimeout().name().toLowerCase());
    }

    /** Who answered, for messages: "alice", or "alice (admitted as Jenkins administrator)". */
    public String approver() {
        return ApprovalRecord.approver(by, admittedAs);
    }

    /** The answers a request can get. */
    public enum Answer {
        /** Go on with the plan. */
        PROCEED,
        /** After a failure: run the failed step again. */
        RETRY,
        /** After a failure: go on as if the failed step had succeeded. */
        SKIP,
        /** Stop the run (a person's decision). */
        ABORT,
        /** Nobody answered in time; the request's {@code onTimeout} decides. */
        TIMED_OUT
    }
}
