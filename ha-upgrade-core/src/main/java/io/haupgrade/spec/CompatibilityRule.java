package io.haupgrade.spec;

import java.util.List;

/** Which strategies are safe for a kind of version change. */
@Doc("Which strategies are safe for a kind of version change.")
public record CompatibilityRule(
        @Required @Doc(value = "The kind of change this rule is about.", example = "major") VersionJump jump,
        @Doc(value = "Only when the current version is at least this (dotted numbers).", example = "5.4") String from,
        @Required @Doc(value = "The strategies that are safe for it.", example = "[full-stop, replace]") List<Strategy> strategies,
        @Doc(value = "Why, in words; shown when a strategy is refused.", example = "the database schema changes")
        String reason) {

    public CompatibilityRule {
        strategies = Lists.copy(strategies);
    }
}
