package io.haupgrade.probe;

import io.haupgrade.spec.ServiceProbe;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Folds probe samples into totals, outage windows and backend spans as they come, so memory stays bounded however
 * long the run: the totals are exact, the lists keep the most recent {@code maxKept} entries. Thread-safe: samples
 * come from the probe thread, activities from the engine.
 */
final class ProbeRecorder {

    private static final int MAX_ACTIVITIES_PER_OUTAGE = 32;

    private final int maxKept;
    private final boolean tracksBackends;
    private final Duration budget;
    /** Downtime measured by the run's earlier stretches: the budget is the whole run's. */
    private final Duration downtimeBefore;
    private final Consumer<BudgetExceeded> onBudgetExceeded;
    private final Map<String, String> running = new LinkedHashMap<>();

    private long sent;
    private long failed;
    private Duration closedDowntime = Duration.ZERO;
    private Duration longest = Duration.ZERO;
    private final ArrayDeque<Outage> outages = new ArrayDeque<>();
    private long omittedOutages;
    private boolean budgetExceeded;

    private Instant outageStart;
    private long outageFailed;
    private String outageError;
    private final Set<Activity> outageActivities = new LinkedHashSet<>();

    private final ArrayDeque<BackendSpan> spans = new ArrayDeque<>();
    private long omittedSpans;
    private BackendSpan span;

    ProbeRecorder(int maxKept, boolean tracksBackends, Duration budget, Duration downtimeBefore,
            Consumer<BudgetExceeded> onBudgetExceeded) {
        this.maxKept = maxKept;
        this.tracksBackends = tracksBackends;
        this.budget = budget;
        this.downtimeBefore = downtimeBefore;
        this.onBudgetExceeded = onBudgetExceeded;
    }

    synchronized void activityStarted(String node, String phase) {
        running.put(node, phase);
        if (outageStart != null) {
            addActivity(new Activity(node, phase));
        }
    }

    synchronized void activityEnded(String node) {
        running.remove(node);
    }

    /** Records a sample of a probe sent at {@code sentAt}; samples come in the order they were sent. */
    void record(Instant sentAt, Sample sample) {
        BudgetExceeded exceeded;
        synchronized (this) {
            sent++;
            exceeded = sample.ok() ? recordAnswer(sentAt, sample) : recordFailure(sentAt, sample);
        }
        if (exceeded != null) {
            // Outside the lock: the listener may stop the rollout, which may call back into the probe.
            onBudgetExceeded.accept(exceeded);
        }
    }

    private BudgetExceeded recordAnswer(Instant sentAt, Sample sample) {
        if (outageStart != null) {
            closeOutage(sentAt, false);
        }
        if (tracksBackends) {
            if (span != null && Objects.equals(span.backend(), sample.backend())
                    && Objects.equals(span.version(), sample.version())) {
                span = new BackendSpan(span.from(), sentAt, span.backend(), span.version(), span.count() + 1);
            } else {
                closeSpan();
                span = new BackendSpan(sentAt, sentAt, sample.backend(), sample.version(), 1);
            }
        }
        return checkBudget(sentAt, closedDowntime);
    }

    private BudgetExceeded recordFailure(Instant sentAt, Sample sample) {
        failed++;
        closeSpan();
        if (outageStart == null) {
            outageStart = sentAt;
            outageFailed = 0;
            outageError = sample.error();
            outageActivities.clear();
            running.forEach((node, phase) -> addActivity(new Activity(node, phase)));
        }
        outageFailed++;
        return checkBudget(sentAt, closedDowntime.plus(Duration.between(outageStart, sentAt)));
    }

    /**
     * Over the budget when the whole run's downtime is, and this stretch added to it: a run resumed after a stop
     * for downtime (a person looked and chose to go on) stops again only when the service goes down again.
     */
    private BudgetExceeded checkBudget(Instant now, Duration downtimeNow) {
        Duration downtime = downtimeBefore.plus(downtimeNow);
        if (budget == null || budgetExceeded || downtimeNow.isZero() || downtime.compareTo(budget) <= 0) {
            return null;
        }
        budgetExceeded = true;
        return onBudgetExceeded == null ? null : new BudgetExceeded(now, downtime, budget, currentActivities());
    }

    private List<Activity> currentActivities() {
        List<Activity> now = new ArrayList<>();
        running.forEach((node, phase) -> now.add(new Activity(node, phase)));
        return now;
    }

    private void addActivity(Activity activity) {
        if (outageActivities.size() < MAX_ACTIVITIES_PER_OUTAGE) {
            outageActivities.add(activity);
        }
    }

    private void closeOutage(Instant end, boolean stillDown) {
        Outage outage = openOutage(end, stillDown);
        closedDowntime = closedDowntime.plus(outage.length());
        if (outage.length().compareTo(longest) > 0) {
            longest = outage.length();
        }
        keep(outages, outage);
        outageStart = null;
    }

    private Outage openOutage(Instant end, boolean stillDown) {
        return new Outage(outageStart, end, Duration.between(outageStart, end), outageFailed, outageError,
                List.copyOf(outageActivities), stillDown);
    }

    private void closeSpan() {
        if (span != null) {
            keep(spans, span);
            span = null;
        }
    }

    private <T> void keep(ArrayDeque<T> list, T item) {
        list.addLast(item);
        if (list.size() > maxKept) {
            list.removeFirst();
            if (list == outages) {
                omittedOutages++;
            } else {
                omittedSpans++;
            }
        }
    }

    /** The measurement so far; an outage still open counts up to {@code now} and is marked still down. */
    synchronized ProbeResult result(String target, ServiceProbe spec, Instant startedAt,
                                    Instant now, boolean timeLimitReached) {
        List<Outage> allOutages = new ArrayList<>(outages);
        Duration downtime = closedDowntime;
        Duration longestSoFar = longest;
        long omitted = omittedOutages;
        if (outageStart != null) {
            Outage open = openOutage(now, true);
            allOutages.add(open);
            downtime = downtime.plus(open.length());
            longestSoFar = open.length().compareTo(longestSoFar) > 0 ? open.length() : longestSoFar;
            if (allOutages.size() > maxKept) {
                allOutages.remove(0);
                omitted++;
            }
        }
        List<BackendSpan> allSpans = new ArrayList<>(spans);
        long omittedSpansNow = omittedSpans;
        if (span != null) {
            allSpans.add(span);
            if (allSpans.size() > maxKept) {
                allSpans.remove(0);
                omittedSpansNow++;
            }
        }
        double availability = sent == 0 ? 100.0 : 100.0 * (sent - failed) / sent;
        boolean overBudget = budget != null && (budgetExceeded || downtimeBefore.plus(downtime).compareTo(budget) > 0);
        return new ProbeResult(target, spec.interval(), spec.timeout(), spec.maxDowntime(), startedAt, now, sent,
                failed, availability, downtime, longestSoFar, overBudget, timeLimitReached, allOutages, omitted,
                allSpans, omittedSpansNow, 1, Duration.ZERO);
    }
}
