package io.haupgrade.spec;

/** How the rollout proceeds and how it reacts to trouble. */
@Doc("How the rollout proceeds and how it reacts to trouble.")
public record UpgradePolicy(
        @Doc("The strategy. Default: rolling.") Strategy strategy,
        @Doc("Most nodes fenced or down at once. Default: 1. Quorum stacks must keep a majority up.") Integer maxUnavailable,
        @Doc("Where a person must approve.") Approvals approvals,
        @Doc("What to do when a phase fails. Default: abort.") FailureAction onFailure,
        @Doc("Move the primary role back to the original primary at the end. Default: false.") Boolean failback,
        @Doc("The stack needs a majority of members up (Raft, Pacemaker with quorum). Default: from the profile, else false.")
        Boolean quorum,
        @Doc("When discovered roles differ from declared ones, trust the discovered roles instead of stopping. Default: false.")
        Boolean trustDiscoveredRoles,
        @Doc("Default number of retries of a failed command. Default: 0.") Integer retries,
        @Doc("Limits of every wait.") Timeouts timeouts) {

    public static final UpgradePolicy DEFAULTS = new UpgradePolicy(null, null, null, null, null, null, null, null, null);

    public UpgradePolicy {
        strategy = strategy == null ? Strategy.ROLLING : strategy;
        maxUnavailable = maxUnavailable == null ? 1 : maxUnavailable;
        approvals = approvals == null ? Approvals.DEFAULTS : approvals;
        onFailure = onFailure == null ? FailureAction.ABORT : onFailure;
        failback = failback != null && failback;
        trustDiscoveredRoles = trustDiscoveredRoles != null && trustDiscoveredRoles;
        retries = retries == null ? 0 : retries;
        timeouts = timeouts == null ? Timeouts.DEFAULTS : timeouts;
    }

    /** A copy with another strategy, as chosen on the command line or in a pipeline step. */
    public UpgradePolicy withStrategy(Strategy other) {
        return new UpgradePolicy(other, maxUnavailable, approvals, onFailure, failback, quorum, trustDiscoveredRoles,
                retries, timeouts);
    }
}
