package io.haupgrade.plan;

import io.haupgrade.spec.Compatibility;
import io.haupgrade.spec.CompatibilityRule;
import io.haupgrade.spec.Strategy;
import io.haupgrade.spec.VersionJump;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The compatibility preflight: refuses a strategy that is not safe for the version jump, and a strategy that mixes
 * versions when the current version is older than the oldest one allowed beside the target.
 */
final class CompatibilityCheck {

    /** Strategies in which old and new versions serve side by side for a while. */
    static final Set<Strategy> MIXING = EnumSet.of(Strategy.ROLLING, Strategy.CANARY, Strategy.ACTIVE_PASSIVE,
            Strategy.REPLACE);

    private CompatibilityCheck() {
    }

    /** @return notes for the plan */
    static List<String> check(Compatibility compatibility, Strategy strategy, Version current, Version target)
            throws PlanException {
        List<String> notes = new ArrayList<>();
        if (current == null) {
            if (!compatibility.rules().isEmpty() || compatibility.minimumMixedVersion() != null) {
                notes.add("current version unknown: the compatibility rules are checked once it is known "
                        + "(discovery.version, currentVersion in the spec, or --current-version)");
            }
            return notes;
        }
        int order = current.compareTo(target);
        if (order > 0) {
            throw new PlanException("target version " + target + " is older than the current version " + current,
                    "ha-upgrade upgrades; to undo an upgrade use the nodes' rollback commands, or correct the target version");
        }
        if (order == 0) {
            notes.add("the current version " + current + " is the target version: only nodes found on another version have work");
            return notes;
        }
        VersionJump jump = current.jumpTo(target);
        String jumpText = Names.of(jump) + " jump " + current + " -> " + target;
        CompatibilityRule rule = ruleFor(compatibility.rules(), jump, current);
        Set<Strategy> safe = rule == null || rule.strategies().isEmpty()
                ? EnumSet.allOf(Strategy.class) : EnumSet.copyOf(rule.strategies());
        if (!safe.contains(strategy)) {
            throw refusal(Names.of(strategy) + " is not safe for the " + jumpText + " (compatibility rule for "
                    + Names.of(jump) + " jumps" + fromText(rule) + ")"
                    + (rule.reason() == null ? "" : ": " + rule.reason()), safe);
        }
        if (rule != null) {
            notes.add("compatibility: " + jumpText + " allows " + Names.list(safe) + fromText(rule)
                    + (rule.reason() == null ? "" : ": " + rule.reason()));
        } else {
            notes.add("compatibility: " + jumpText + " has no rule; every strategy is allowed");
        }
        String minimum = compatibility.minimumMixedVersion();
        if (minimum != null) {
            Version oldest = Version.parse(minimum, "compatibility.minimumMixedVersion");
            if (current.compareTo(oldest) < 0) {
                if (MIXING.contains(strategy)) {
                    safe.removeAll(MIXING);
                    throw refusal(Names.of(strategy) + " would run " + current + " beside " + target
                            + ", but compatibility.minimumMixedVersion says the oldest version that may run beside it is "
                            + oldest, safe);
                }
            } else if (MIXING.contains(strategy)) {
                notes.add("mixed versions: " + current + " may run beside " + target
                        + " (compatibility.minimumMixedVersion " + oldest + ")");
            }
        }
        return notes;
    }

    /** The applicable rule for the jump with the highest {@code from}; a rule without {@code from} applies always. */
    private static CompatibilityRule ruleFor(List<CompatibilityRule> rules, VersionJump jump, Version current)
            throws PlanException {
        CompatibilityRule best = null;
        Version bestFrom = null;
        for (int i = 0; i < rules.size(); i++) {
            CompatibilityRule rule = rules.get(i);
            if (rule.jump() != jump) {
                continue;
            }
            Version from = rule.from() == null ? null : Version.parse(rule.from(), "compatibility.rules[" + i + "].from");
            if (from != null && current.compareTo(from) < 0) {
                continue;
            }
            if (best == null || (from != null && (bestFrom == null || from.compareTo(bestFrom) > 0))) {
                best = rule;
                bestFrom = from;
            }
        }
        return best;
    }

    private static String fromText(CompatibilityRule rule) {
        return rule.from() == null ? "" : " from " + rule.from();
    }

    private static PlanException refusal(String message, Set<Strategy> safe) {
        if (safe.isEmpty()) {
            return new PlanException(message + ". No strategy is safe for it",
                    "upgrade in smaller steps, or correct the compatibility section of the spec");
        }
        Strategy first = safe.iterator().next();
        return new PlanException(message + ". Safe: " + Names.list(safe),
                "choose a safe strategy, e.g. --strategy " + Names.of(first) + " or policy.strategy: " + Names.of(first));
    }
}
