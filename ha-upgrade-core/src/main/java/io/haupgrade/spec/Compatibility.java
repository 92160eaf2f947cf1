package io.haupgrade.spec;

import java.time.Duration;
import java.util.List;

/** Which version jumps are safe for which strategy, and how long versions may be mixed. */
@Doc("Which version jumps are safe for which strategy, and how long old and new versions may run side by side.")
public record Compatibility(
        @Doc("Rules by kind of jump; a jump with no rule allows every strategy.") List<CompatibilityRule> rules,
        @Doc(value = "Oldest version that may run in a cluster with the target version (a mixed cluster).", example = "6.0")
        String minimumMixedVersion,
        @Doc("Longest the cluster may run mixed versions; the plan's estimate is checked against it, the run enforces it.")
        Duration maxMixedWindow) {

    public static final Compatibility NONE = new Compatibility(null, null, null);

    public Compatibility {
        rules = Lists.copy(rules);
    }
}
