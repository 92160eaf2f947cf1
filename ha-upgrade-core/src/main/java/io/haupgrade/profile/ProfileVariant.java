package io.haupgrade.profile;

import io.haupgrade.spec.Discovery;
import io.haupgrade.spec.Doc;
import io.haupgrade.spec.Health;
import io.haupgrade.spec.Hooks;
import io.haupgrade.spec.PhaseCommands;
import java.util.Map;

/**
 * Parts of a profile that apply when settings have certain values. A matching variant adds its commands, hooks and
 * health checks to the profile's (fence and others after, unfence before: the undo of a later fence runs first); its
 * discovery replaces the profile's.
 */
@Doc("Parts of a profile that apply only when settings have the values in 'when'. Their commands are added to the "
        + "profile's: after them, except unfence, whose commands run before (each undo in reverse order).")
public record ProfileVariant(
        @Doc(value = "Setting values this variant needs, all of them; without 'when' it always applies.",
                example = "{fence: standby, dialect: pcs}")
        Map<String, String> when,
        @Doc("Discovery that replaces the profile's.") Discovery discovery,
        @Doc("Commands added to the profile's phases.") PhaseCommands commands,
        @Doc("Hooks added to the profile's.") Hooks hooks,
        @Doc("Health checks added to the profile's.") Health health) {

    public ProfileVariant {
        when = when == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(when));
        discovery = discovery == null ? Discovery.NONE : discovery;
        commands = commands == null ? PhaseCommands.NONE : commands;
        hooks = hooks == null ? Hooks.NONE : hooks;
        health = health == null ? Health.NONE : health;
    }

    /** Whether every setting named in {@code when} has the value given there. */
    public boolean appliesTo(Map<String, String> settings) {
        return when.entrySet().stream().allMatch(e -> e.getValue().equals(settings.get(e.getKey())));
    }
}
