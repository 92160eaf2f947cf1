package io.haupgrade.lab;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * On demand only ({@code -Dlab.moves=N}): moves the VIP N times between n1 and n2 by priority while the probe runs,
 * and prints the failed requests of each move. {@code -Dlab.helpers=none|hold|quiet|both} chooses which of the
 * spec's switchover helpers run (default both): hold keeps the VIP local on the node giving it up, quiet drops TCP
 * resets from the VIP on the node taking it. The numbers in docs/lab.md come from here.
 */
class VipMoveMeasurementTest {

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void moveTheVipBackAndForth() {
        Integer moves = Integer.getInteger("lab.moves");
        Assumptions.assumeTrue(moves != null && moves > 0, "on demand: run with -Dlab.moves=N to measure N VIP moves");
        LabSupport.assumeLabCanRun();
        String helpers = System.getProperty("lab.helpers", "both");
        boolean hold = helpers.equals("hold") || helpers.equals("both");
        boolean quiet = helpers.equals("quiet") || helpers.equals("both");
        try (Lab lab = Lab.start(LabConfig.defaults())) {
            List<LabClusterSpec.Command> failback = LabClusterSpec.load(lab.clusterSpec()).phase("failback", Map.of());
            int movesWithFailures = 0;
            try (LabProbe probe = LabProbe.start(lab, LabSmokeTest.PROBE_INTERVAL, LabSmokeTest.PROBE_TIMEOUT,
                    Duration.ofSeconds(5L * moves + 60))) {
                for (int i = 0; i < moves; i++) {
                    String from = i % 2 == 0 ? "n1" : "n2";
                    String to = i % 2 == 0 ? "n2" : "n1";
                    int failedBefore = probe.snapshot().failed();
                    if (quiet) {
                        lab.ssh(to, failback.get(0).run()).requireSuccess("quiet the takeover on " + to);
                    }
                    if (hold) {
                        lab.ssh(from, failback.get(1).run()).requireSuccess("hold the VIP on " + from);
                    }
                    lab.ssh("n2", LabSmokeTest.setPriority(to.equals("n2") ? 250 : 140)).requireSuccess("set priority");
                    Duration moved = Lab.await("the VIP on " + to, Duration.ofSeconds(10),
                            () -> lab.vipHolders().equals(List.of(to)));
                    LabSmokeTest.pause(Duration.ofMillis(1500));
                    int failed = probe.snapshot().failed() - failedBefore;
                    movesWithFailures += failed > 0 ? 1 : 0;
                    System.out.printf("lab-measure: move %d %s->%s in %d ms, %d failed%n", i, from, to,
                            moved.toMillis(), failed);
                }
                ProbeReport report = probe.stop();
                double[] took = report.samples().stream().filter(ProbeSample::ok).mapToDouble(ProbeSample::tookMs)
                        .sorted().toArray();
                System.out.printf("lab-measure: helpers %s: %d of %d moves lost requests; request time p50 %.1f ms, "
                        + "p99 %.1f ms; probe %s%n", helpers, movesWithFailures, moves, took[took.length / 2],
                        took[took.length * 99 / 100], report.summary());
            }
        }
    }
}
