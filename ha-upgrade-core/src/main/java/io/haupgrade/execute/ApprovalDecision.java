package io.haupgrade.execute;

import java.time.Instant;
import java.util.List;

/**
 * The answer to an {@link ApprovalRequest}: who answered, when, and what. {@link Answer#TIMED_OUT} is nobody's
 * answer ({@code by} is null) and is never confused with a person's {@link Answer#ABORT}.
 *
 * @param groups the approver's groups, for the request's submitters (the driver resolves them; may be empty)
 */
public record ApprovalDecision(String requestId, Answer answer, String by, List<String> groups, Instant at,
        String comment) {

    public ApprovalDecision {
        groups = groups == null ? List.of() : List.copyOf(groups);
    }

    public static ApprovalDecision of(String requestId, Answer answer, String by, Instant at, String comment) {
        return new ApprovalDecision(requestId, answer, by, List.of(), at, comment);
    }

    public static ApprovalDecision timedOut(ApprovalRequest request, Instant at) {
        return new ApprovalDecision(request.id(), Answer.TIMED_OUT, null, List.of(), at,
                "no answer within " + request.timeout() + "; on timeout: " + request.onTimeout().name().toLowerCase());
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
