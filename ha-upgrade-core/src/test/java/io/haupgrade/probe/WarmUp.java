package io.haupgrade.probe;

import java.time.Duration;

/**
 * Timing tests start their scenario once the probe has seen the service answer (first requests are cold), and stop
 * it once it has seen the service back: on a loaded machine fixed sleeps are not enough for either.
 */
final class WarmUp {

    private WarmUp() {
    }

    /** Waits, at most 5 s, until {@code probe} has had {@code answers} successful probes. */
    static void awaitAnswers(DowntimeProbe probe, int answers) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            ProbeResult now = probe.snapshot();
            if (now.sent() - now.failed() >= answers) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the service did not answer " + answers + " probes within 5 s");
    }

    /** Waits, at most 5 s, until the probe has seen the service answer again after its last outage. */
    static void awaitRecovered(DowntimeProbe probe) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            ProbeResult now = probe.snapshot();
            if (now.outages().stream().noneMatch(Outage::stillDown)) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the service did not answer again within 5 s");
    }
}
