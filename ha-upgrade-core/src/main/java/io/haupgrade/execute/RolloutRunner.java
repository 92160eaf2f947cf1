package io.haupgrade.execute;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Drives a rollout to its end in the calling thread, asking {@code approver} at every approval: what the CLI does.
 * The approver is asked on a separate thread so that the deadline and a cancellation (Ctrl-C) end the wait even
 * when the approver is blocked reading a terminal.
 */
public final class RolloutRunner {
    private static final Duration POLL = Duration.ofMillis(100);
    private static final int MAX_REFUSALS = 3;

    private final Rollout rollout;
    private final Approver approver;
    private final Clock clock;

    public RolloutRunner(Rollout rollout, Approver approver, Clock clock) {
        this.rollout = rollout;
        this.approver = approver;
        this.clock = clock;
    }

    /** Runs steps until the run is finished and returns how it ended. */
    public StepOutcome.Finished run() {
        ExecutorService asking = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "ha-upgrade-approval");
            t.setDaemon(true);
            return t;
        });
        try {
            while (true) {
                StepOutcome outcome = rollout.next();
                if (outcome instanceof StepOutcome.Finished finished) {
                    return finished;
                }
                if (outcome instanceof StepOutcome.AwaitingApproval awaiting) {
                    answer(awaiting.request(), asking);
                }
            }
        } finally {
            asking.shutdownNow();
        }
    }

    private void answer(ApprovalRequest request, ExecutorService asking) {
        Future<Optional<ApprovalDecision>> answer = asking.submit(() -> approver.ask(request));
        int refusals = 0;
        try {
            while (true) {
                if (rollout.cancelRequested()) {
                    answer.cancel(true);
                    rollout.decide(ApprovalDecision.of(request.id(), ApprovalDecision.Answer.ABORT, "cancellation",
                            clock.instant(), "cancelled while waiting for this approval"));
                    return;
                }
                Instant now = clock.instant();
                if (!now.isBefore(request.deadline())) {
                    answer.cancel(true);
                    return;
                }
                long wait = Math.min(POLL.toMillis(), Duration.between(now, request.deadline()).toMillis() + 1);
                try {
                    Optional<ApprovalDecision> decision = answer.get(wait, TimeUnit.MILLISECONDS);
                    if (decision.isEmpty()) {
                        return;
                    }
                    try {
                        rollout.decide(decision.get());
                        return;
                    } catch (ApprovalRefusedException refused) {
                        // Not an acceptable answer (e.g. the starter approving their own run): say why, ask again.
                        approver.refused(request, refused.getMessage());
                        if (++refusals >= MAX_REFUSALS) {
                            throw refused;
                        }
                        answer = asking.submit(() -> approver.ask(request));
                    }
                } catch (TimeoutException e) {
                    // keep waiting
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            rollout.cancel("interrupt", "the driving thread was interrupted while waiting for an approval");
        } catch (ExecutionException e) {
            rollout.cancel("approver", "asking for approval failed: " + e.getCause());
        } catch (ApprovalRefusedException e) {
            rollout.cancel("approver", e.getMessage());
        }
    }
}
