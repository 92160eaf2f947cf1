package io.haupgrade.plan;

import io.haupgrade.spec.ClusterSpec;
import io.haupgrade.spec.Role;
import io.haupgrade.spec.Strategy;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What to plan.
 *
 * @param spec            the cluster
 * @param strategy        the strategy; null means the spec's {@code policy.strategy}
 * @param targetVersion   the version to reach; null means the spec's {@code targetVersion}
 * @param currentVersion  the (oldest) version the members run now; null means the spec's, which may be unknown too
 * @param roles           the roles known from the live cluster; a node missing here has its declared role, except
 *                        that a primary named here replaces a declared one
 * @param alreadyUpgraded members whose work is done (at the target version; in a replace rollout, old nodes that
 *                        left); the plan covers the rest. Incoming nodes listed here are ignored: a new node runs the
 *                        target version before it joins. In a replace rollout all incoming nodes count as joined once
 *                        an old node has left or an incoming node is primary; before that their joins are planned
 *                        again with the same ids, which the journal skips when done.
 * @param originalPrimary the primary when the rollout started, target of a failback; null means the current
 *                        primary if it still has work, else the declared primary. The engine passes it when it
 *                        plans again after the switchover.
 */
public record PlanRequest(ClusterSpec spec, Strategy strategy, String targetVersion, String currentVersion,
                          Map<String, Role> roles, Set<String> alreadyUpgraded, String originalPrimary) {

    public PlanRequest {
        Objects.requireNonNull(spec, "spec");
        roles = roles == null ? Map.of() : Map.copyOf(roles);
        alreadyUpgraded = alreadyUpgraded == null ? Set.of() : Set.copyOf(alreadyUpgraded);
    }

    public PlanRequest(ClusterSpec spec, Strategy strategy, String targetVersion, String currentVersion,
                       Map<String, Role> roles, Set<String> alreadyUpgraded) {
        this(spec, strategy, targetVersion, currentVersion, roles, alreadyUpgraded, null);
    }

    /** Everything from the spec: its strategy, versions and declared roles. */
    public static PlanRequest of(ClusterSpec spec) {
        return new PlanRequest(spec, null, null, null, null, null, null);
    }

    public PlanRequest withStrategy(Strategy other) {
        return new PlanRequest(spec, other, targetVersion, currentVersion, roles, alreadyUpgraded, originalPrimary);
    }
}
