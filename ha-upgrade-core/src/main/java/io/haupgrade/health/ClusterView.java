package io.haupgrade.health;

import io.haupgrade.spec.Role;
import java.util.Map;
import java.util.Optional;

/** What a gate attempt read from the live cluster before running the checks: roles and versions per node. */
public record ClusterView(Map<String, Role> roles, Map<String, String> versions) {
    public ClusterView {
        roles = Map.copyOf(roles);
        versions = Map.copyOf(versions);
    }

    /** The single primary, if exactly one node says it is. */
    public Optional<String> primary() {
        var primaries = roles.entrySet().stream().filter(e -> e.getValue() == Role.PRIMARY).map(Map.Entry::getKey).toList();
        return primaries.size() == 1 ? Optional.of(primaries.get(0)) : Optional.empty();
    }
}
