package io.haupgrade.health;

/** One named check, run against one node or, for cluster checks, once for the whole cluster. */
public interface HealthCheck {
    String name();

    /**
     * Runs the check. {@code node} is the node checked, or null for a cluster-level check; {@code view} is
     * what the gate learned in this attempt (the current primary).
     */
    CheckResult check(String node, ClusterView view);
}
