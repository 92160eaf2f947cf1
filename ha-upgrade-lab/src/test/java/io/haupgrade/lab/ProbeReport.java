package io.haupgrade.lab;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Everything a probe saw, from its first request to its last. */
public record ProbeReport(List<ProbeSample> samples) {

    /** A run of failed requests: from the start of the first failure to the start of the next success. */
    public record Outage(double fromMs, double toMs, int failedRequests) {
        public Duration duration() {
            return Duration.ofNanos(Math.round((toMs - fromMs) * 1_000_000));
        }
    }

    public ProbeReport {
        samples = List.copyOf(samples);
    }

    public int total() {
        return samples.size();
    }

    public int failed() {
        return (int) samples.stream().filter(s -> !s.ok()).count();
    }

    /** Every outage; one still open at the end lasts until the last request ended. */
    public List<Outage> outages() {
        var outages = new ArrayList<Outage>();
        ProbeSample first = null;
        int count = 0;
        for (ProbeSample sample : samples) {
            if (!sample.ok()) {
                if (first == null) {
                    first = sample;
                }
                count++;
            } else if (first != null) {
                outages.add(new Outage(first.atMs(), sample.atMs(), count));
                first = null;
                count = 0;
            }
        }
        if (first != null) {
            ProbeSample last = samples.get(samples.size() - 1);
            outages.add(new Outage(first.atMs(), last.atMs() + last.tookMs(), count));
        }
        return outages;
    }

    public Duration longestOutage() {
        return outages().stream().map(Outage::duration).max(Duration::compareTo).orElse(Duration.ZERO);
    }

    /** Who answered, in order, each change listed once: e.g. [n1@1.0.0, n2@2.0.0, n1@2.0.0]. */
    public List<String> responders() {
        var changes = new ArrayList<String>();
        for (ProbeSample sample : samples) {
            if (sample.ok() && (changes.isEmpty() || !changes.get(changes.size() - 1).equals(sample.responder()))) {
                changes.add(sample.responder());
            }
        }
        return changes;
    }

    /** The last successful sample's responder, e.g. n1@2.0.0. */
    public String lastResponder() {
        List<String> all = responders();
        return all.isEmpty() ? "none" : all.get(all.size() - 1);
    }

    public Duration span() {
        if (samples.isEmpty()) {
            return Duration.ZERO;
        }
        ProbeSample last = samples.get(samples.size() - 1);
        return Duration.ofMillis(Math.round(last.atMs() + last.tookMs()));
    }

    /** One line for test output and assertion messages. */
    public String summary() {
        var failures = samples.stream().filter(s -> !s.ok()).limit(5).map(s -> s.seq() + ": " + s.error()).toList();
        return total() + " requests over " + span().toMillis() + " ms, " + failed() + " failed, longest outage "
                + longestOutage().toMillis() + " ms, outages " + outages() + ", responders " + responders()
                + (failures.isEmpty() ? "" : ", first failures " + failures);
    }
}
