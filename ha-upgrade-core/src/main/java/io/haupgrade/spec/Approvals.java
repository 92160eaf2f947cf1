package io.haupgrade.spec;

import java.time.Duration;
import java.util.List;

/** Where a person must approve, who may, and what silence means. */
@Doc("Where a person must approve, who may, and what happens when nobody answers.")
public record Approvals(
        @Doc(value = "The approval points. Default: none for rolling; [before-switchover] for active-passive; "
                + "[after-first-node] for canary.", example = "[before-switchover]")
        List<ApprovalPoint> at,
        @Doc("Longest wait for an answer. Default: 1h.") Duration timeout,
        @Doc("What silence means after the timeout. Default: abort.") TimeoutAction onTimeout,
        @Doc("The approver must be someone other than the person who started the run. Default: false.")
        Boolean requireOtherApprover,
        @Doc(value = "Users or groups allowed to approve; empty means anyone allowed to run the upgrade.",
                example = "[ops-leads]")
        List<String> submitters) {

    public static final Approvals DEFAULTS = new Approvals(null, null, null, null, null);

    public Approvals {
        at = at == null ? null : List.copyOf(at);
        timeout = timeout == null ? Duration.ofHours(1) : timeout;
        onTimeout = onTimeout == null ? TimeoutAction.ABORT : onTimeout;
        requireOtherApprover = requireOtherApprover != null && requireOtherApprover;
        submitters = Lists.copy(submitters);
    }

    /** The points in force: the written ones, or the strategy's default when none are written. */
    public List<ApprovalPoint> pointsFor(Strategy strategy) {
        if (at != null) {
            return at;
        }
        return switch (strategy) {
            case ACTIVE_PASSIVE -> List.of(ApprovalPoint.BEFORE_SWITCHOVER);
            case CANARY -> List.of(ApprovalPoint.AFTER_FIRST_NODE);
            default -> List.of();
        };
    }
}
