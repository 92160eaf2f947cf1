package io.haupgrade.execute;

import io.haupgrade.execute.ApprovalDecision.Answer;
import java.time.Clock;
import java.util.Optional;

/** Standing answers for unattended runs. */
public final class Approvers {
    private Approvers() {
    }

    /**
     * Approves every plan approval point in the name of {@code who} ({@code --yes}). It never answers a failure
     * with retry or skip: a failure pause is aborted, because nobody looked at it.
     */
    public static Approver approveAll(String who, Clock clock) {
        return request -> Optional.of(request.choices().contains(Answer.PROCEED)
                ? ApprovalDecision.of(request.id(), Answer.PROCEED, who, clock.instant(), "approved in advance (--yes)")
                : ApprovalDecision.of(request.id(), Answer.ABORT, who, clock.instant(),
                        "unattended run: a failure is never retried or skipped without a person"));
    }

    /** Refuses every approval, for a run with nobody to ask (no terminal, no --yes). */
    public static Approver refuseAll(String who, Clock clock) {
        return request -> Optional.of(ApprovalDecision.of(request.id(), Answer.ABORT, who, clock.instant(),
                "nobody to ask: no terminal and no --yes or --approve"));
    }
}
