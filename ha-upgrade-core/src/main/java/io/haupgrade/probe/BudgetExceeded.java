package io.haupgrade.probe;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The downtime so far went over the spec's {@code maxDowntime}.
 *
 * @param at         when the probe noticed
 * @param activities what was running then
 */
public record BudgetExceeded(Instant at, Duration downtime, Duration budget, List<Activity> activities) {

    public BudgetExceeded {
        activities = activities == null ? List.of() : List.copyOf(activities);
    }

    /** For the run's failure message. */
    public String message() {
        return "downtime " + millis(downtime) + " exceeded the budget of " + millis(budget)
                + (activities.isEmpty() ? " between steps" : " during " + activities);
    }

    private static String millis(Duration d) {
        return d.toMillis() + " ms";
    }
}
