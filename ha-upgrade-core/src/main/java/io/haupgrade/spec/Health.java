package io.haupgrade.spec;

import java.time.Duration;
import java.util.List;

/** What "healthy" means for this cluster, and how long a gate waits for it. */
@Doc("What healthy means for this cluster. The gate runs all checks on all nodes in parallel and waits until green.")
public record Health(
        @Doc("Checks run on (or against) every node.") List<HealthCheckSpec> node,
        @Doc("Checks run once for the whole cluster (quorum, the service through the VIP).") List<HealthCheckSpec> cluster,
        @Doc("The cluster is healthy only with exactly one primary (needs discovery.role). Default: true when roles are discovered.")
        Boolean exactlyOnePrimary,
        @Doc("Fewest nodes that must pass all node checks; quorum stacks need a majority. Default: all members not fenced.")
        Integer minHealthyNodes,
        @Doc("Pause between two attempts of a gate. Default: 5s.") Duration interval,
        @Doc("Longest a gate waits for green before it fails. Default: 5m.") Duration timeout) {

    public static final Health NONE = new Health(null, null, null, null, null, null);

    public Health {
        node = Lists.copy(node);
        cluster = Lists.copy(cluster);
        interval = interval == null ? Duration.ofSeconds(5) : interval;
        timeout = timeout == null ? Duration.ofMinutes(5) : timeout;
    }
}
