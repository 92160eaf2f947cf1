package io.haupgrade.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.haupgrade.spec.ServiceProbe;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The folding of samples into windows and spans, with times the test chooses. */
class ProbeRecorderTest {

    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    private static final ServiceProbe SPEC = new ServiceProbe("http://vip/", Duration.ofMillis(10), null, null,
            "X-Node", "X-Version");

    private static Instant ms(long millis) {
        return T0.plusMillis(millis);
    }

    @Test
    void anOutageRunsFromTheFirstFailureToTheNextAnswerAndNamesEverythingThatRanDuringIt() {
        ProbeRecorder recorder = new ProbeRecorder(10, true, null, Duration.ZERO, null);
        recorder.activityStarted("n1", "fence");
        recorder.record(ms(0), Sample.ok("n1", "1"));
        recorder.record(ms(10), Sample.failed("HTTP 503"));
        recorder.activityEnded("n1");
        recorder.activityStarted("n1", "upgrade");
        recorder.activityStarted("cluster", "gate");
        recorder.record(ms(20), Sample.failed("connect: Connection refused"));
        recorder.activityStarted("n2", "fence");
        recorder.record(ms(30), Sample.ok("n2", "1"));
        recorder.activityStarted("n3", "upgrade");

        ProbeResult result = recorder.result("http://vip/", SPEC, T0, ms(40), false);

        assertThat(result.outages()).containsExactly(new Outage(ms(10), ms(30), Duration.ofMillis(20), 2,
                "HTTP 503", List.of(new Activity("n1", "fence"), new Activity("n1", "upgrade"),
                new Activity("cluster", "gate"), new Activity("n2", "fence")), false));
        assertThat(result.sent()).isEqualTo(4);
        assertThat(result.failed()).isEqualTo(2);
        assertThat(result.availabilityPercent()).isEqualTo(50.0);
        assertThat(result.backends()).containsExactly(new BackendSpan(ms(0), ms(0), "n1", "1", 1),
                new BackendSpan(ms(30), ms(30), "n2", "1", 1));
    }

    @Test
    void anOutageOpenWhenProbingStopsCountsUpToTheStopAndIsStillDown() {
        ProbeRecorder recorder = new ProbeRecorder(10, false, null, Duration.ZERO, null);
        recorder.record(ms(0), Sample.ok(null, null));
        recorder.record(ms(10), Sample.failed("HTTP 500"));
        recorder.record(ms(20), Sample.failed("HTTP 500"));

        ProbeResult result = recorder.result("http://vip/", SPEC, T0, ms(25), false);

        assertThat(result.outages()).singleElement().satisfies(o -> {
            assertThat(o.stillDown()).isTrue();
            assertThat(o.end()).isEqualTo(ms(25));
            assertThat(o.length()).isEqualTo(Duration.ofMillis(15));
        });
        assertThat(result.totalDowntime()).isEqualTo(Duration.ofMillis(15));
        assertThat(result.backends()).as("no headers asked for: no spans").isEmpty();
    }

    @Test
    void memoryStaysBoundedWhileTheTotalsStayExact() {
        ProbeRecorder recorder = new ProbeRecorder(100, true, null, Duration.ZERO, null);
        long t = 0;
        for (int i = 0; i < 5000; i++) {
            recorder.record(ms(t), Sample.ok("n" + (i % 2), "1"));
            recorder.record(ms(t + 10), Sample.failed("HTTP 503"));
            t += 30;
        }
        recorder.record(ms(t), Sample.ok("n0", "1"));

        ProbeResult result = recorder.result("http://vip/", SPEC, T0, ms(t + 10), false);

        assertThat(result.outages()).hasSize(100);
        assertThat(result.omittedOutages()).isEqualTo(4900);
        assertThat(result.outages().get(99).end()).as("the most recent are kept").isEqualTo(ms(t));
        assertThat(result.totalDowntime()).isEqualTo(Duration.ofMillis(20L * 5000));
        assertThat(result.longestOutage()).isEqualTo(Duration.ofMillis(20));
        assertThat(result.backends()).hasSize(100);
        assertThat(result.omittedBackendSpans()).isEqualTo(4901);
        assertThat(result.sent()).isEqualTo(10001);
        assertThat(result.failed()).isEqualTo(5000);
    }

    @Test
    void theBudgetCountsTheOpenOutageAndFiresOnce() {
        List<BudgetExceeded> fired = new ArrayList<>();
        ProbeRecorder recorder = new ProbeRecorder(10, false, Duration.ofMillis(25), Duration.ZERO, fired::add);
        recorder.activityStarted("n2", "switchover");
        recorder.record(ms(0), Sample.failed("HTTP 503"));
        recorder.record(ms(20), Sample.failed("HTTP 503"));
        assertThat(fired).isEmpty();
        recorder.record(ms(30), Sample.failed("HTTP 503"));
        recorder.record(ms(40), Sample.failed("HTTP 503"));
        recorder.record(ms(50), Sample.ok(null, null));
        recorder.record(ms(60), Sample.failed("HTTP 503"));
        recorder.record(ms(90), Sample.ok(null, null));

        assertThat(fired).containsExactly(new BudgetExceeded(ms(30), Duration.ofMillis(30), Duration.ofMillis(25),
                List.of(new Activity("n2", "switchover"))));
        assertThat(recorder.result("x", SPEC, T0, ms(100), false).budgetExceeded()).isTrue();
    }

    @Test
    void aLaterStretchSpendsWhatIsLeftOfTheWholeRunsBudget() {
        List<BudgetExceeded> fired = new ArrayList<>();
        // Earlier stretches of the run were down 20 ms of a 25 ms budget: 10 ms more go over it.
        ProbeRecorder recorder = new ProbeRecorder(10, false, Duration.ofMillis(25), Duration.ofMillis(20),
                fired::add);
        recorder.record(ms(0), Sample.failed("HTTP 503"));
        assertThat(fired).isEmpty();
        recorder.record(ms(10), Sample.failed("HTTP 503"));

        assertThat(fired).containsExactly(new BudgetExceeded(ms(10), Duration.ofMillis(30), Duration.ofMillis(25),
                List.of()));
        ProbeResult result = recorder.result("x", SPEC, T0, ms(20), false);
        assertThat(result.budgetExceeded()).isTrue();
        assertThat(result.totalDowntime()).as("this stretch's own downtime").isEqualTo(Duration.ofMillis(20));
    }

    @Test
    void aStretchResumedOverTheBudgetStopsOnlyWhenTheServiceGoesDownAgain() {
        List<BudgetExceeded> fired = new ArrayList<>();
        ProbeRecorder recorder = new ProbeRecorder(10, false, Duration.ofMillis(25), Duration.ofMillis(40),
                fired::add);
        for (int i = 0; i < 5; i++) {
            recorder.record(ms(i * 10), Sample.ok(null, null));
        }
        assertThat(fired).as("no new downtime").isEmpty();
        recorder.record(ms(50), Sample.failed("HTTP 503"));
        recorder.record(ms(60), Sample.failed("HTTP 503"));

        assertThat(fired).singleElement().satisfies(e -> assertThat(e.downtime()).isEqualTo(Duration.ofMillis(50)));
    }
}
