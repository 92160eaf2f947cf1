package io.haupgrade.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.haupgrade.spec.ServiceProbe;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The probe against real services on loopback whose outages the test switches on and off. */
@Timeout(20)
class DowntimeProbeTest {

    private static final Duration INTERVAL = Duration.ofMillis(20);
    /** Generous where timeouts are not what is tested: a loaded CI machine can stall a loopback request 200 ms. */
    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    private static final Duration MAX_RUN = Duration.ofSeconds(30);

    private static ServiceProbe http(String url, Duration maxDowntime) {
        return new ServiceProbe(url, INTERVAL, TIMEOUT, maxDowntime, "X-Node", "X-Version");
    }

    @Test
    void aServiceThatAlwaysAnswersHasNoFailures() throws Exception {
        try (ControlledService service = new ControlledService();
             DowntimeProbe probe = new DowntimeProbe(http(service.url(), null), MAX_RUN, e -> { })) {
            probe.start();
            Thread.sleep(1000);
            ProbeResult result = probe.stop();

            assertThat(result.failed()).isZero();
            assertThat(result.outages()).isEmpty();
            assertThat(result.availabilityPercent()).isEqualTo(100.0);
            assertThat(result.totalDowntime()).isZero();
            assertThat(result.sent()).as("1 s at 20 ms: 50 slots, never more").isBetween(25L, 51L);
            assertThat(service.requests()).isEqualTo(result.sent());
            assertThat(result.target()).isEqualTo(service.url());
        }
    }

    /** Records when each probe starts; each takes 40 ms, every fourth 150 ms (longer than an interval of 100 ms). */
    private static final class RecordingTarget implements ProbeTarget {
        final List<Long> starts = new CopyOnWriteArrayList<>();
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger maxInFlight = new AtomicInteger();

        @Override
        public Sample probe(Duration timeout) {
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            starts.add(System.nanoTime());
            LockSupport.parkNanos(Duration.ofMillis(starts.size() % 4 == 0 ? 150 : 40).toNanos());
            inFlight.decrementAndGet();
            return Sample.ok(null, null);
        }

        @Override
        public String describe() {
            return "recording";
        }
    }

    @Test
    void probesStayOnAFixedGridOneAtATimeWithoutCatchUpBursts() throws Exception {
        RecordingTarget target = new RecordingTarget();
        Duration gridInterval = Duration.ofMillis(100);
        ServiceProbe spec = new ServiceProbe("http://127.0.0.1/", gridInterval, TIMEOUT, null, null, null);
        ProbeResult result;
        long slackMillis;
        try (SchedulerLateness lateness = new SchedulerLateness();
             DowntimeProbe probe = new DowntimeProbe(spec, target, MAX_RUN, Duration.ZERO, e -> { })) {
            probe.start();
            Thread.sleep(2000);
            result = probe.stop();
            // The canary samples lateness; the probe thread can be somewhat later than the canary ever saw.
            slackMillis = 2 * lateness.worstMillis() + 5;
        }
        // A drifting schedule starts each probe 40 ms (one probe's length) further off the grid: visible only while
        // the machine's own lateness stays below that.
        Assumptions.assumeTrue(slackMillis < 35, "the machine woke threads so late (slack " + slackMillis
                + " ms) that a 40 ms drift cannot be told from its own lateness");

        List<Long> starts = target.starts;
        assertThat(result.sent()).isEqualTo(starts.size());
        assertThat(target.maxInFlight.get()).as("never two probes in flight").isEqualTo(1);
        long interval = gridInterval.toNanos();
        long slack = Duration.ofMillis(slackMillis).toNanos();
        for (int k = 1; k < starts.size(); k++) {
            // The first probe may itself be a little late: measure the distance to the nearest grid point.
            long offset = (starts.get(k) - starts.get(0)) % interval;
            assertThat(Math.min(offset, interval - offset)).as("probe %d starts on the grid (no drift)", k)
                    .isLessThanOrEqualTo(slack);
            assertThat(starts.get(k) - starts.get(k - 1)).as("probe %d: no burst after a slow one", k)
                    .isGreaterThanOrEqualTo(interval - slack);
        }
        // 2 s is 20 slots; each slow probe overruns one slot, which is skipped, not sent late.
        assertThat(result.sent()).isBetween(12L, 17L);
    }

    @Test
    void oneOutageOf500msIsMeasuredAs500msWithinOneInterval() throws Exception {
        try (ControlledService service = new ControlledService();
             SchedulerLateness lateness = new SchedulerLateness();
             DowntimeProbe probe = new DowntimeProbe(http(service.url(), null), MAX_RUN, e -> { })) {
            probe.start();
            WarmUp.awaitAnswers(probe, 5);
            assertThat(probe.snapshot().failed()).as("no failure before the outage").isZero();
            probe.activityStarted("n3", "switchover");
            long down = System.nanoTime();
            service.status(503);
            Thread.sleep(500);
            service.status(200);
            long actualMillis = (System.nanoTime() - down) / 1_000_000;
            probe.activityEnded("n3");
            WarmUp.awaitRecovered(probe);
            ProbeResult result = probe.stop();

            assertThat(result.outages()).hasSize(1);
            Outage outage = result.outages().get(0);
            // One interval, plus however late this machine ran threads meanwhile (both ends of the window).
            long tolerance = INTERVAL.toMillis() + 2 * lateness.worstMillis();
            assertThat(outage.length().toMillis()).as("measured within %d ms", tolerance)
                    .isCloseTo(actualMillis, within(tolerance));
            assertThat(actualMillis).isGreaterThanOrEqualTo(500L);
            assertThat(outage.firstError()).isEqualTo("HTTP 503");
            assertThat(outage.activities()).containsExactly(new Activity("n3", "switchover"));
            assertThat(outage.stillDown()).isFalse();
            assertThat(outage.failedProbes()).isEqualTo(result.failed())
                    .isPositive().isLessThanOrEqualTo(actualMillis / INTERVAL.toMillis() + 1);
            assertThat(result.totalDowntime()).isEqualTo(outage.length());
            assertThat(result.longestOutage()).isEqualTo(outage.length());
            assertThat(result.availabilityPercent())
                    .isCloseTo(100.0 * (result.sent() - result.failed()) / result.sent(), within(1e-9));
        }
    }

    @Test
    void aHangingServiceFailsEachProbeAtItsTimeoutWithoutPilingUpRequests() throws Exception {
        try (ControlledService service = new ControlledService();
             DowntimeProbe probe = new DowntimeProbe(
                     new ServiceProbe(service.url(), INTERVAL, Duration.ofMillis(100), null, null, null), MAX_RUN,
                     e -> { })) {
            service.delay(2000);
            probe.start();
            Thread.sleep(1000);
            ProbeResult result = probe.stop();

            // One probe in flight at a time: at most 1000 ms / 100 ms probes, not 1000 ms / 20 ms (fewer when the
            // machine is so loaded that each timed-out probe overruns into the next slot).
            assertThat(result.sent()).isBetween(5L, 11L);
            assertThat(result.failed()).isEqualTo(result.sent());
            assertThat(service.requests()).isEqualTo(result.sent());
            assertThat(result.outages()).singleElement().satisfies(o -> {
                assertThat(o.firstError()).isEqualTo("timeout after 100 ms");
                assertThat(o.stillDown()).isTrue();
                assertThat(o.length().toMillis()).isBetween(900L, 1200L);
            });
            assertThat(result.availabilityPercent()).isZero();
        }
    }

    @Test
    void backendSpansFollowASwitchover() throws Exception {
        try (ControlledService service = new ControlledService();
             DowntimeProbe probe = new DowntimeProbe(http(service.url(), null), MAX_RUN, e -> { })) {
            service.serves("n3", "6.1.1");
            probe.start();
            WarmUp.awaitAnswers(probe, 5);
            service.serves("n1", "6.1.2");
            Thread.sleep(300);
            ProbeResult result = probe.stop();

            assertThat(result.backends()).extracting(BackendSpan::backend, BackendSpan::version)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("n3", "6.1.1"),
                            org.assertj.core.groups.Tuple.tuple("n1", "6.1.2"));
            assertThat(result.backends().stream().mapToLong(BackendSpan::count).sum()).isEqualTo(result.sent());
            BackendSpan first = result.backends().get(0);
            BackendSpan second = result.backends().get(1);
            assertThat(first.to()).isBefore(second.from());
        }
    }

    @Test
    void redirectsAnswerAndAreNotFollowedWhileClientErrorsFail() throws Exception {
        try (ControlledService service = new ControlledService();
             DowntimeProbe probe = new DowntimeProbe(http(service.url(), null), MAX_RUN, e -> { })) {
            service.status(302);
            probe.start();
            WarmUp.awaitAnswers(probe, 5);
            service.status(404);
            Thread.sleep(200);
            ProbeResult result = probe.stop();

            assertThat(service.requests()).isEqualTo(result.sent());
            assertThat(result.outages()).singleElement()
                    .satisfies(o -> assertThat(o.firstError()).isEqualTo("HTTP 404"));
            assertThat(result.failed()).isLessThan(result.sent());
        }
    }

    @Test
    void aTcpProbeSeesAListenerClosedAndReopened() throws Exception {
        ServerSocket listener = listen(0);
        int port = listener.getLocalPort();
        ServiceProbe spec = new ServiceProbe("tcp://127.0.0.1:" + port, INTERVAL, TIMEOUT, null, null, null);
        try (SchedulerLateness lateness = new SchedulerLateness();
             DowntimeProbe probe = new DowntimeProbe(spec, MAX_RUN, e -> { })) {
            probe.start();
            WarmUp.awaitAnswers(probe, 5);
            long closed = System.nanoTime();
            listener.close();
            Thread.sleep(300);
            listener = listen(port);
            long actualMillis = (System.nanoTime() - closed) / 1_000_000;
            WarmUp.awaitRecovered(probe);
            ProbeResult result = probe.stop();

            long tolerance = INTERVAL.toMillis() + 2 * lateness.worstMillis();
            assertThat(result.outages()).singleElement().satisfies(o -> {
                assertThat(o.firstError()).startsWith("connect: Connection refused");
                assertThat(o.length().toMillis()).isCloseTo(actualMillis, within(tolerance));
            });
            assertThat(result.backends()).isEmpty();
        } finally {
            listener.close();
        }
    }

    @Test
    void theBudgetFiresOnceDuringTheOutageThatTakesDowntimeOverIt() throws Exception {
        List<BudgetExceeded> fired = new CopyOnWriteArrayList<>();
        Duration budget = Duration.ofMillis(150);
        try (ControlledService service = new ControlledService();
             SchedulerLateness lateness = new SchedulerLateness();
             DowntimeProbe probe = new DowntimeProbe(http(service.url(), budget), MAX_RUN, fired::add)) {
            probe.start();
            Thread.sleep(100);
            probe.activityStarted("n2", "upgrade");
            service.status(500);
            Thread.sleep(350);
            service.status(200);
            Thread.sleep(100);
            service.status(500);
            Thread.sleep(200);
            service.status(200);
            Thread.sleep(100);
            ProbeResult result = probe.stop();

            assertThat(fired).as("once, though the second outage adds more").hasSize(1);
            BudgetExceeded exceeded = fired.get(0);
            Outage first = result.outages().get(0);
            assertThat(exceeded.at()).as("during the first outage, not after it").isBefore(first.end());
            assertThat(exceeded.downtime()).isGreaterThan(budget)
                    .isLessThanOrEqualTo(budget.plus(INTERVAL).plusMillis(2 * lateness.worstMillis()));
            assertThat(exceeded.activities()).containsExactly(new Activity("n2", "upgrade"));
            assertThat(exceeded.message()).startsWith("downtime ").contains("exceeded the budget of 150 ms during");
            assertThat(result.budgetExceeded()).isTrue();
            assertThat(result.outages()).hasSize(2);
        }
    }

    @Test
    void aDowntimeUnderTheBudgetDoesNotFire() throws Exception {
        List<BudgetExceeded> fired = new CopyOnWriteArrayList<>();
        try (ControlledService service = new ControlledService();
             DowntimeProbe probe = new DowntimeProbe(http(service.url(), Duration.ofMillis(500)), MAX_RUN,
                     fired::add)) {
            probe.start();
            WarmUp.awaitAnswers(probe, 3);
            service.status(500);
            Thread.sleep(150);
            service.status(200);
            Thread.sleep(100);
            ProbeResult result = probe.stop();

            assertThat(result.outages()).hasSize(1);
            assertThat(fired).isEmpty();
            assertThat(result.budgetExceeded()).isFalse();
        }
    }

    @Test
    void stopsByItselfAtItsTimeLimit() throws Exception {
        try (ControlledService service = new ControlledService();
             SchedulerLateness lateness = new SchedulerLateness()) {
            DowntimeProbe probe = new DowntimeProbe(http(service.url(), null), Duration.ofMillis(300), e -> { });
            probe.start();
            Thread.sleep(600);
            long requestsAfterLimit = service.requests();
            Thread.sleep(100);
            ProbeResult result = probe.stop();

            assertThat(result.timeLimitReached()).isTrue();
            assertThat(service.requests()).isEqualTo(requestsAfterLimit).isEqualTo(result.sent());
            // It notices the limit at the first slot after it: within one interval, plus the machine's lateness.
            assertThat(Duration.between(result.startedAt(), result.stoppedAt()).toMillis())
                    .isBetween(300L, 300L + INTERVAL.toMillis() + 2 * lateness.worstMillis() + 5);
            assertThat(probe.stop()).isSameAs(result);
        }
    }

    private static ServerSocket listen(int port) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return socket;
    }
}
