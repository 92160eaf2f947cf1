package io.haupgrade.plan;

import io.haupgrade.spec.NodeGroup;
import java.util.ArrayList;
import java.util.List;

/**
 * Packs nodes into batches that may be down together. First fit: each node goes into the first batch with room
 * under the batch limit and under every group's limit. Packing what remains after the first batch gives the same
 * later batches, so the step ids stay the same when the engine plans again.
 */
final class Batches {
    private Batches() {
    }

    static List<List<String>> pack(List<String> nodes, int limit, List<NodeGroup> groups) {
        List<List<String>> batches = new ArrayList<>();
        for (String node : nodes) {
            List<String> batch = batches.stream().filter(b -> fits(b, node, limit, groups)).findFirst().orElse(null);
            if (batch == null) {
                batch = new ArrayList<>();
                batches.add(batch);
            }
            batch.add(node);
        }
        return batches.stream().map(List::copyOf).toList();
    }

    private static boolean fits(List<String> batch, String node, int limit, List<NodeGroup> groups) {
        if (batch.size() >= limit) {
            return false;
        }
        for (NodeGroup group : groups) {
            if (group.members().contains(node)
                    && batch.stream().filter(group.members()::contains).count() >= group.maxUnavailable()) {
                return false;
            }
        }
        return true;
    }
}
