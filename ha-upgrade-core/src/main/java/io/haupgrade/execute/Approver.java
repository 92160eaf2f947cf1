package io.haupgrade.execute;

import java.util.Optional;

/**
 * Asks a person (or a standing rule) to answer an approval, blocking until an answer or the request's deadline.
 * The CLI prompts on the terminal or answers for {@code --yes}; a driver that cannot block (the Jenkins step)
 * does not use an Approver: it answers later with {@link Rollout#decide(ApprovalDecision)}.
 */
@FunctionalInterface
public interface Approver {
    /** The answer, or empty when nobody answered by {@link ApprovalRequest#deadline()}. */
    Optional<ApprovalDecision> ask(ApprovalRequest request) throws InterruptedException;

    /** The run did not accept the last answer, for {@code reason}; the approver is asked again. */
    default void refused(ApprovalRequest request, String reason) {
    }
}
