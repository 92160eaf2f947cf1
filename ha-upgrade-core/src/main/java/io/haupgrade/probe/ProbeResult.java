package io.haupgrade.probe;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
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
 * @param stretches           how many processes probed: a run resumed after a stop, a kill or (in Jenkins) an
 *                            approval is probed by each of them in turn
 * @param unprobed            time between {@code startedAt} and {@code stoppedAt} when no process probed (between
 *                            stretches): downtime there is unknown, not zero
 */
public record ProbeResult(String target, Duration interval, Duration timeout, Duration maxDowntime,
                          Instant startedAt, Instant stoppedAt, long sent, long failed, double availabilityPercent,
                          Duration totalDowntime, Duration longestOutage, boolean budgetExceeded,
                          boolean timeLimitReached, List<Outage> outages, long omittedOutages,
                          List<BackendSpan> backends, long omittedBackendSpans, int stretches,
                          Duration unprobed) {

    public ProbeResult {
        outages = outages == null ? List.of() : List.copyOf(outages);
        backends = backends == null ? List.of() : List.copyOf(backends);
        stretches = Math.max(1, stretches);
        unprobed = unprobed == null ? Duration.ZERO : unprobed;
    }

    /**
     * The measurements of one run's stretches as one: totals summed, the longest outage the longest of all, the
     * budget judged on the total, the lists joined (the most recent {@value DowntimeProbe#MAX_KEPT} kept), and the
     * gaps between stretches counted as {@link #unprobed()}.
     */
    public static ProbeResult combined(List<ProbeResult> results) {
        if (results.isEmpty()) {
            throw new IllegalArgumentException("no probe measurement to combine");
        }
        List<ProbeResult> ordered = results.stream().sorted(Comparator.comparing(ProbeResult::startedAt)).toList();
        if (ordered.size() == 1) {
            return ordered.get(0);
        }
        ProbeResult last = ordered.get(ordered.size() - 1);
        long sent = 0;
        long failed = 0;
        Duration downtime = Duration.ZERO;
        Duration longest = Duration.ZERO;
        Duration unprobed = Duration.ZERO;
        boolean budgetExceeded = false;
        boolean timeLimitReached = false;
        int stretches = 0;
        List<Outage> outages = new ArrayList<>();
        List<BackendSpan> backends = new ArrayList<>();
        long omittedOutages = 0;
        long omittedSpans = 0;
        Instant previousStop = null;
        for (ProbeResult r : ordered) {
            sent += r.sent;
            failed += r.failed;
            downtime = downtime.plus(r.totalDowntime);
            longest = r.longestOutage.compareTo(longest) > 0 ? r.longestOutage : longest;
            unprobed = unprobed.plus(r.unprobed);
            if (previousStop != null && r.startedAt.isAfter(previousStop)) {
                unprobed = unprobed.plus(Duration.between(previousStop, r.startedAt));
            }
            previousStop = r.stoppedAt;
            budgetExceeded |= r.budgetExceeded;
            timeLimitReached |= r.timeLimitReached;
            stretches += r.stretches;
            outages.addAll(r.outages);
            backends.addAll(r.backends);
            omittedOutages += r.omittedOutages;
            omittedSpans += r.omittedBackendSpans;
        }
        omittedOutages += dropOldest(outages);
        omittedSpans += dropOldest(backends);
        double availability = sent == 0 ? 100.0 : 100.0 * (sent - failed) / sent;
        budgetExceeded |= last.maxDowntime != null && downtime.compareTo(last.maxDowntime) > 0;
        return new ProbeResult(last.target, last.interval, last.timeout, last.maxDowntime, ordered.get(0).startedAt,
                last.stoppedAt, sent, failed, availability, downtime, longest, budgetExceeded, timeLimitReached,
                outages, omittedOutages, backends, omittedSpans, stretches, unprobed);
    }

    private static long dropOldest(List<?> list) {
        int excess = Math.max(0, list.size() - DowntimeProbe.MAX_KEPT);
        list.subList(0, excess).clear();
        return excess;
    }
}
