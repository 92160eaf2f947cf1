package io.haupgrade.health;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a gate looks at: the member nodes, those fenced on purpose right now (not expected to pass node checks),
 * and the version each upgraded node must run.
 */
public record GateScope(List<String> members, Set<String> fenced, Map<String, String> expectedVersions) {
    public GateScope {
        members = List.copyOf(members);
        fenced = Set.copyOf(fenced);
        expectedVersions = Map.copyOf(expectedVersions);
    }
}
