package io.haupgrade.probe;

import io.haupgrade.spec.ServiceProbe;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Probes the service endpoint at a fixed rate for the whole rollout, in its own daemon thread, and measures downtime.
 *
 * <p>Probes are sent on a fixed grid ({@code start + k * interval}) that does not drift. One probe is in flight at a
 * time: a probe slower than the interval delays the next one to the next free slot of the grid (the missed slots are
 * not sent and not counted), and a probe without an answer within the timeout counts as failed at its timeout. The
 * probe stops by itself after {@code maxRunTime} whatever happens to the engine.
 *
 * <p>The engine tells it what runs ({@link #activityStarted}, {@link #activityEnded}) so each outage names the phases
 * that were running on which node.
 */
public final class DowntimeProbe implements AutoCloseable {

    /** Most outage windows and backend spans kept in the result; the oldest beyond are counted, not kept. */
    public static final int MAX_KEPT = 1000;

    private final ServiceProbe spec;
    private final ProbeTarget target;
    private final Duration maxRunTime;
    private final ProbeRecorder recorder;
    private final Thread thread;

    private volatile boolean stopping;
    private volatile boolean timeLimitReached;
    private volatile long startNanos;
    private volatile Instant startedAt;
    private volatile Instant endedAt;
    private ProbeResult finalResult;

    /**
     * @param maxRunTime       hard limit of the probing; set it above the rollout's own limit
     * @param onBudgetExceeded called once, on the probe thread, when downtime goes over {@code spec.maxDowntime()};
     *                         it must return quickly (hand the stop over to the engine's thread); what it
     *                         throws is ignored so that the measurement goes on
     */
    public DowntimeProbe(ServiceProbe spec, Duration maxRunTime, Consumer<BudgetExceeded> onBudgetExceeded) {
        this(spec, ProbeTarget.of(spec), maxRunTime, Duration.ZERO, onBudgetExceeded);
    }

    /**
     * As {@link #DowntimeProbe(ServiceProbe, Duration, Consumer)} for a later stretch of a run, whose earlier
     * stretches measured {@code downtimeBefore}: the budget is the whole run's.
     */
    public DowntimeProbe(ServiceProbe spec, Duration maxRunTime, Duration downtimeBefore,
                         Consumer<BudgetExceeded> onBudgetExceeded) {
        this(spec, ProbeTarget.of(spec), maxRunTime, downtimeBefore, onBudgetExceeded);
    }

    /** As {@link #DowntimeProbe(ServiceProbe, Duration, Duration, Consumer)} with another way of asking the service. */
    public DowntimeProbe(ServiceProbe spec, ProbeTarget target, Duration maxRunTime, Duration downtimeBefore,
                         Consumer<BudgetExceeded> onBudgetExceeded) {
        this.spec = Objects.requireNonNull(spec, "probe spec");
        this.target = Objects.requireNonNull(target, "probe target");
        requirePositive(spec.interval(), "probe.interval");
        requirePositive(spec.timeout(), "probe.timeout");
        requirePositive(maxRunTime, "probe maximum run time");
        if (spec.maxDowntime() != null && spec.maxDowntime().isNegative()) {
            throw new IllegalArgumentException("probe.maxDowntime is negative (" + spec.maxDowntime()
                    + "); hint: 0s allows no downtime at all");
        }
        this.maxRunTime = maxRunTime;
        boolean tracksBackends = spec.backendHeader() != null || spec.versionHeader() != null;
        this.recorder = new ProbeRecorder(MAX_KEPT, tracksBackends, spec.maxDowntime(),
                Objects.requireNonNull(downtimeBefore, "downtime before"), onBudgetExceeded);
        this.thread = new Thread(this::run, "ha-upgrade-probe " + target.describe());
        this.thread.setDaemon(true);
    }

    private static void requirePositive(Duration d, String what) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(what + " must be a positive duration, got " + d + "; hint: 100ms");
        }
    }

    /** Starts probing now. */
    public synchronized DowntimeProbe start() {
        if (startedAt != null) {
            throw new IllegalStateException("probe of " + target.describe() + " already started at " + startedAt);
        }
        startNanos = System.nanoTime();
        startedAt = Instant.now();
        thread.start();
        return this;
    }

    /** A phase started on a node (or {@code "cluster"}); it replaces what ran there before. */
    public void activityStarted(String node, String phase) {
        recorder.activityStarted(node, phase);
    }

    /** Whatever ran on the node has ended. */
    public void activityEnded(String node) {
        recorder.activityEnded(node);
    }

    /** Started and not yet {@linkplain #stop() stopped}. */
    public synchronized boolean isRunning() {
        return startedAt != null && finalResult == null;
    }

    /** The measurement so far, without stopping. */
    public ProbeResult snapshot() {
        Instant started = startedAt;
        if (started == null) {
            throw new IllegalStateException("probe of " + target.describe() + " not started");
        }
        Instant ended = endedAt;
        return recorder.result(target.describe(), spec, started, ended != null ? ended : now(), timeLimitReached);
    }

    /**
     * Stops probing, waits for a probe in flight (at most about its timeout) and returns the measurement. An outage
     * still open counts up to now and is marked still down. Calling it again returns the same result.
     */
    public synchronized ProbeResult stop() {
        if (finalResult != null) {
            return finalResult;
        }
        if (startedAt == null) {
            throw new IllegalStateException("probe of " + target.describe() + " not started");
        }
        stopping = true;
        LockSupport.unpark(thread);
        try {
            thread.join(spec.timeout().multipliedBy(2).plusSeconds(1).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            // A probe stuck past twice its timeout: stop waiting for it; the daemon thread ends when it returns.
            thread.interrupt();
        }
        if (endedAt == null) {
            endedAt = now();
        }
        finalResult = recorder.result(target.describe(), spec, startedAt, endedAt, timeLimitReached);
        return finalResult;
    }

    @Override
    public void close() {
        if (startedAt != null) {
            stop();
        }
    }

    private Instant now() {
        return at(System.nanoTime());
    }

    /** Wall-clock time of a monotonic reading: immune to clock steps during the run. */
    private Instant at(long nanos) {
        return startedAt.plusNanos(nanos - startNanos);
    }

    private void run() {
        long interval = spec.interval().toNanos();
        long deadline = startNanos + maxRunTime.toNanos();
        long next = startNanos;
        while (!stopping) {
            long now = System.nanoTime();
            while (!stopping && now < next) {
                LockSupport.parkNanos(this, next - now);
                now = System.nanoTime();
            }
            if (stopping) {
                break;
            }
            if (now - deadline >= 0) {
                timeLimitReached = true;
                endedAt = at(now);
                break;
            }
            Sample sample;
            try {
                sample = target.probe(spec.timeout());
            } catch (RuntimeException e) {
                sample = Sample.failed(e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            try {
                recorder.record(at(now), sample);
            } catch (RuntimeException ignored) {
                // Thrown by the budget listener after the sample was counted: the measurement goes on regardless.
            }
            long after = System.nanoTime();
            next += interval;
            if (after - next >= 0) {
                // The probe overran its slot: skip to the next free slot of the grid instead of firing a burst.
                next += ((after - next) / interval + 1) * interval;
            }
        }
    }
}
