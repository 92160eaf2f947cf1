package io.haupgrade.probe;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One window in which the service did not answer: from the first failed probe to the next successful one.
 *
 * @param start        when the first failed probe of the window was sent
 * @param end          when the next successful probe was sent, or when probing stopped if {@code stillDown}
 * @param length       {@code end - start}; accurate to one probe interval
 * @param failedProbes failed probes in the window
 * @param firstError   why the first probe failed, e.g. {@code HTTP 503} or {@code timeout after 200 ms}
 * @param activities   the phases running on nodes at any time during the window, in the order they were seen
 * @param stillDown    the service had not answered again when probing stopped
 */
public record Outage(Instant start, Instant end, Duration length, long failedProbes, String firstError,
                     List<Activity> activities, boolean stillDown) {

    public Outage {
        activities = activities == null ? List.of() : List.copyOf(activities);
    }
}
