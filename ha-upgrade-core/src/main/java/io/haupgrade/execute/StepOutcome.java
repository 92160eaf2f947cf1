package io.haupgrade.execute;

import io.haupgrade.plan.PlanStep;
import io.haupgrade.report.RunReport;

/** What one call of {@link Rollout#next()} did. */
public sealed interface StepOutcome {

    /** Whether the run is over (nothing more will happen on any node). */
    default boolean terminal() {
        return false;
    }

    /** A step ran (or was found done); call {@code next()} again. */
    record Continue(PlanStep step, StepStatus status, String detail) implements StepOutcome {
    }

    /**
     * The run waits for a person. Answer with {@link Rollout#decide(ApprovalDecision)}, then call {@code next()};
     * {@code next()} before an answer returns this again, or applies the timeout once the deadline has passed.
     */
    record AwaitingApproval(ApprovalRequest request) implements StepOutcome {
    }

    /** The run ended: succeeded, failed, aborted or refused; the report is written. */
    record Finished(RunStatus status, String stoppedAt, RunReport report) implements StepOutcome {
        @Override
        public boolean terminal() {
            return true;
        }
    }
}
