package io.haupgrade.profile;

import io.haupgrade.spec.Compatibility;
import io.haupgrade.spec.Discovery;
import io.haupgrade.spec.Doc;
import io.haupgrade.spec.Health;
import io.haupgrade.spec.Hooks;
import io.haupgrade.spec.PhaseCommands;
import io.haupgrade.spec.Required;
import io.haupgrade.spec.Strategy;
import java.util.List;
import java.util.Map;

/**
 * A profile file: the parts of a cluster spec that a well-known HA stack always needs (role detection, fencing,
 * switchover, health), written once. A cluster spec names it with {@code profile:}; what the spec writes wins.
 */
@Doc("An HA stack profile: the parts of a cluster file a well-known stack always needs, with settings.")
public record Profile(
        @Required @Doc(value = "Name of the profile.", example = "keepalived") String name,
        @Required @Doc("What the profile is for, in one sentence.") String description,
        @Doc(value = "The settings a cluster file may give (profile.settings), usable as ${setting.NAME}.",
                example = "{vip: {doc: 'The virtual IP address.', example: 198.51.100.10}}")
        Map<String, Setting> settings,
        @Doc("The strategies this profile supports. Default: all.") List<Strategy> strategies,
        @Doc("How to read roles and versions; a cluster file's discovery.role or discovery.version wins.")
        Discovery discovery,
        @Doc("The commands of each phase; a phase the cluster file writes replaces the profile's.")
        PhaseCommands commands,
        @Doc("Cluster-wide hooks; run after the cluster file's hooks of the same kind.") Hooks hooks,
        @Doc("Health checks, run in addition to the cluster file's; timing keys the cluster file writes win.")
        Health health,
        @Doc("Defaults of the cluster file's policy.") ProfilePolicy policy,
        @Doc("Version rules used when the cluster file has none.") Compatibility compatibility,
        @Doc("Parts that apply only with certain settings, e.g. the commands of one fence style.")
        List<ProfileVariant> variants) {

    public Profile {
        settings = settings == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(settings));
        strategies = strategies == null || strategies.isEmpty() ? List.of(Strategy.values()) : List.copyOf(strategies);
        discovery = discovery == null ? Discovery.NONE : discovery;
        commands = commands == null ? PhaseCommands.NONE : commands;
        hooks = hooks == null ? Hooks.NONE : hooks;
        health = health == null ? Health.NONE : health;
        policy = policy == null ? ProfilePolicy.NONE : policy;
        compatibility = compatibility == null ? Compatibility.NONE : compatibility;
        variants = variants == null ? List.of() : List.copyOf(variants);
    }
}
