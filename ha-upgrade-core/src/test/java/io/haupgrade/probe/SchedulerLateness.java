package io.haupgrade.probe;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Measures how late this machine wakes a sleeping thread while a timing test runs. The probe's precision is one
 * interval plus that lateness (it cannot send a probe while it is not scheduled), so timing tests allow for it: on
 * a quiet machine it is well under a millisecond, on a loaded CI machine it can reach tens of milliseconds.
 */
final class SchedulerLateness implements AutoCloseable {

    private static final long NAP_NANOS = 1_000_000;

    private final AtomicLong worstNanos = new AtomicLong();
    private final Thread canary;
    private volatile boolean running = true;

    SchedulerLateness() {
        canary = new Thread(() -> {
            while (running) {
                long before = System.nanoTime();
                LockSupport.parkNanos(NAP_NANOS);
                long late = System.nanoTime() - before - NAP_NANOS;
                worstNanos.accumulateAndGet(late, Math::max);
            }
        }, "scheduler-lateness canary");
        canary.setDaemon(true);
        canary.start();
    }

    /** The worst lateness seen so far, in milliseconds, rounded up. */
    long worstMillis() {
        return (worstNanos.get() + 999_999) / 1_000_000;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        canary.join(1000);
    }
}
