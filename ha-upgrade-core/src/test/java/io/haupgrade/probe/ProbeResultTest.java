package io.haupgrade.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProbeResultTest {
    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    private static final Duration BUDGET = Duration.ofMillis(500);

    private static Instant s(double seconds) {
        return T0.plusMillis(Math.round(seconds * 1000));
    }

    private static Outage outage(double from, double to) {
        return new Outage(s(from), s(to), Duration.between(s(from), s(to)), 2, "HTTP 503", List.of(), false);
    }

    private static ProbeResult stretch(double from, double to, long sent, long failed, List<Outage> outages,
            boolean budgetExceeded) {
        Duration downtime = outages.stream().map(Outage::length).reduce(Duration.ZERO, Duration::plus);
        Duration longest = outages.stream().map(Outage::length).max(Duration::compareTo).orElse(Duration.ZERO);
        return new ProbeResult("http://vip/", Duration.ofMillis(20), Duration.ofMillis(200), BUDGET, s(from), s(to),
                sent, failed, 100.0 * (sent - failed) / sent, downtime, longest, budgetExceeded, false, outages, 0,
                List.of(new BackendSpan(s(from), s(to), "n1", "1.0", sent - failed)), 0, 1, Duration.ZERO);
    }

    @Test
    void stretchesAddUpAndTheGapsBetweenThemAreUnprobedNotDown() {
        ProbeResult first = stretch(0, 10, 500, 3, List.of(outage(4, 4.2)), false);
        // The tool was killed at 10 s (its last record) and resumed at 25 s; then stopped for an approval at 40 s
        // and resumed at 41.5 s.
        ProbeResult second = stretch(25, 40, 750, 10, List.of(outage(30, 30.25), outage(31, 31.05)), false);
        ProbeResult third = stretch(41.5, 50, 425, 0, List.of(), false);

        ProbeResult whole = ProbeResult.combined(List.of(third, first, second));

        assertThat(whole.startedAt()).isEqualTo(s(0));
        assertThat(whole.stoppedAt()).isEqualTo(s(50));
        assertThat(whole.sent()).isEqualTo(1675);
        assertThat(whole.failed()).isEqualTo(13);
        assertThat(whole.availabilityPercent()).isEqualTo(100.0 * 1662 / 1675);
        assertThat(whole.totalDowntime()).isEqualTo(Duration.ofMillis(500));
        assertThat(whole.longestOutage()).isEqualTo(Duration.ofMillis(250));
        assertThat(whole.outages()).extracting(Outage::start).containsExactly(s(4), s(30), s(31));
        assertThat(whole.backends()).hasSize(3);
        assertThat(whole.stretches()).isEqualTo(3);
        assertThat(whole.unprobed()).isEqualTo(Duration.ofMillis(16_500));
        assertThat(whole.budgetExceeded()).as("500 ms is the budget, not over it").isFalse();
    }

    @Test
    void theBudgetIsJudgedOnTheWholeRun() {
        ProbeResult first = stretch(0, 10, 500, 10, List.of(outage(4, 4.3)), false);
        ProbeResult second = stretch(20, 30, 500, 10, List.of(outage(25, 25.3)), false);

        assertThat(ProbeResult.combined(List.of(first, second)).budgetExceeded()).isTrue();
        assertThat(ProbeResult.combined(List.of(first)).budgetExceeded()).isFalse();
    }

    @Test
    void theListsKeepTheMostRecentEntriesAndCountTheRest() {
        List<Outage> many = new ArrayList<>();
        for (int i = 0; i < DowntimeProbe.MAX_KEPT; i++) {
            many.add(outage(i * 0.01, i * 0.01 + 0.005));
        }
        ProbeResult first = stretch(0, 20, 5000, 2000, many, true);
        ProbeResult second = stretch(30, 40, 500, 2, List.of(outage(35, 35.1)), false);

        ProbeResult whole = ProbeResult.combined(List.of(first, second));

        assertThat(whole.outages()).hasSize(DowntimeProbe.MAX_KEPT);
        assertThat(whole.omittedOutages()).isEqualTo(1);
        assertThat(whole.outages().get(DowntimeProbe.MAX_KEPT - 1).start()).isEqualTo(s(35));
        assertThat(whole.outages().get(0).start()).isEqualTo(s(0.01));
        assertThat(whole.budgetExceeded()).isTrue();
    }

    @Test
    void nothingToCombineIsAnError() {
        assertThatThrownBy(() -> ProbeResult.combined(List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
