package io.haupgrade.probe;

import java.util.Objects;

/**
 * What the rollout was doing while the probe measured: a phase running on a node. Cluster-wide steps (gates,
 * approvals, hooks) use the node name {@code "cluster"}.
 */
public record Activity(String node, String phase) {

    public Activity {
        Objects.requireNonNull(node, "activity node");
        Objects.requireNonNull(phase, "activity phase");
    }

    @Override
    public String toString() {
        return phase + " on " + node;
    }
}
