package io.haupgrade.plan;

import io.haupgrade.spec.Strategy;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * An explicit, ordered rollout: what the executor does, what {@code ha-upgrade plan} prints, what the journal keys on.
 *
 * @param expectedDowntime   full-stop only: the longest the service is down, bounded by the timeouts of the steps
 *                           in the downtime window; null for the strategies that keep the service up
 * @param notes              facts a person should know before approving the plan (batches, windows, skipped options)
 * @param primary            the primary when the plan starts, null when no node has that role
 * @param alreadyUpgraded    nodes the plan leaves alone because their work is done
 * @param mixedVersionWindow where old and new versions serve side by side, null when they never do
 */
public record Plan(String cluster, Strategy strategy, String targetVersion, String currentVersion, List<PlanStep> steps,
                   Duration expectedDowntime, List<String> notes, String primary, List<String> alreadyUpgraded,
                   MixedVersionWindow mixedVersionWindow) {

    public Plan {
        steps = List.copyOf(steps);
        notes = List.copyOf(notes);
        alreadyUpgraded = alreadyUpgraded == null ? List.of() : List.copyOf(alreadyUpgraded);
    }

    public Plan(String cluster, Strategy strategy, String targetVersion, String currentVersion, List<PlanStep> steps,
                Duration expectedDowntime, List<String> notes) {
        this(cluster, strategy, targetVersion, currentVersion, steps, expectedDowntime, notes, null, null, null);
    }

    public List<String> stepIds() {
        return steps.stream().map(PlanStep::id).toList();
    }

    public Optional<PlanStep> step(String id) {
        return steps.stream().filter(s -> s.id().equals(id)).findFirst();
    }

    /**
     * The span in which old and new versions serve together. The run enforces {@code limit}
     * ({@code compatibility.maxMixedWindow}) from the end of {@code startsAfter} to the end of {@code endsAfter}.
     *
     * @param startsAfter id of the step after which versions are mixed; null when they are mixed already
     * @param endsAfter   id of the step after which every serving node runs the target version
     * @param limit       the longest the window may last; null when the spec sets no limit
     */
    public record MixedVersionWindow(String startsAfter, String endsAfter, Duration limit) {
    }
}
