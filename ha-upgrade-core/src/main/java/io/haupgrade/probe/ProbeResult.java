package io.haupgrade.probe;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What the service probe measured over a rollout. Success means an answer within the timeout: HTTP 2xx or 3xx
 * (redirects are not followed), or an accepted TCP connection. Everything else (4xx, 5xx, refused, reset, timeout)
 * is a failure. Totals are exact for any run length; the lists keep the most recent {@value DowntimeProbe#MAX_KEPT}
 * entries and count the rest as omitted.
 *
 * @param target              the probed URL, user info masked
 * @param sent                probes sent; a probe slower than the interval delays the next one (never two in flight)
 * @param failed              probes that failed
 * @param availabilityPercent {@code 100 * (sent - failed) / sent}; 100 when nothing was sent
 * @param totalDowntime       sum of the outage windows' lengths
 * @param longestOutage       the longest outage window, zero when none
 * @param budgetExceeded      total downtime went over {@code maxDowntime} (null when no budget)
 * @param timeLimitReached    probing stopped by itself at its hard time limit, not when the rollout ended
 */
public record ProbeResult(String target, Duration interval, Duration timeout, Duration maxDowntime,
                          Instant startedAt, Instant stoppedAt, long sent, long failed, double availabilityPercent,
                          Duration totalDowntime, Duration longestOutage, boolean budgetExceeded,
                          boolean timeLimitReached, List<Outage> outages, long omittedOutages,
                          List<BackendSpan> backends, long omittedBackendSpans) {

    public ProbeResult {
        outages = outages == null ? List.of() : List.copyOf(outages);
        backends = backends == null ? List.of() : List.copyOf(backends);
    }
}
