package io.haupgrade.health;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a gate looks at: the member nodes, those fenced on purpose right now (not expected to pass node checks),
 * the version each upgraded node must run, and whether the cluster checks and rules apply (a node's verify looks
 * at that node alone).
 */
public record GateScope(List<String> members, Set<String> fenced, Map<String, String> expectedVersions,
        boolean clusterChecks) {
    public GateScope {
        members = List.copyOf(members);
        fenced = Set.copyOf(fenced);
        expectedVersions = Map.copyOf(expectedVersions);
    }
}
