package io.haupgrade.report;

import static io.haupgrade.report.SampleReports.at;
import static org.assertj.core.api.Assertions.assertThat;

import io.haupgrade.probe.Activity;
import io.haupgrade.probe.DowntimeProbe;
import io.haupgrade.probe.ProbeResult;
import io.haupgrade.spec.Role;
import io.haupgrade.spec.ServiceProbe;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ReportCollectorTest {

    private static ReportCollector collector(DowntimeProbe probe) {
        return new ReportCollector("run-7", "lb", "rolling", "2.0", "alice", at(0), probe);
    }

    @Test
    void buildsTheReportFromWhatTheEngineSaysInOrder() {
        ReportCollector c = collector(null);
        c.plan(List.of(new ReportStep("1", "gate", List.of(), "preflight"),
                new ReportStep("2", "upgrade-node", List.of("n1"), "upgrade n1")));
        c.node("n1", "10.0.0.1", Role.STANDBY, "1.0");
        c.node("n2", "10.0.0.2", Role.PRIMARY, "1.0");
        c.gateStarted("1", "preflight", at(0));
        c.gateEnded("1", true, 2, List.of(new CheckResult("n1", "svc", true, "exit 0")), at(1));
        c.phaseStarted("n1", "2", "fence", at(1));
        c.phaseEnded("n1", PhaseOutcome.SUCCEEDED, null, 0, at(2));
        c.fenceHeld("n1", "fence", "upgrading", "unfence n1");
        c.phaseStarted("n1", "2", "upgrade", at(2));
        c.phaseEnded("n1", PhaseOutcome.FAILED, "apt: exit 100", 100, at(5));
        c.approvalRequested("3", "on-failure", "retry, skip or abort?", at(5));
        c.approvalDecided("3", Decision.REJECTED, "bob", "abort", at(9));
        c.nodeFinished("n1", Role.STANDBY, "1.0", NodeOutcome.FAILED);
        c.warning("n1 left fenced");

        RunReport report = c.finish(Outcome.ABORTED, "step 2 (upgrade n1): exit 100", at(10), null);

        assertThat(report.nodes()).extracting(NodeReport::name).containsExactly("n1", "n2");
        assertThat(report.nodes().get(0).phases()).containsExactly(
                new PhaseRecord("2", "fence", at(1), at(2), PhaseOutcome.SUCCEEDED, null, 0),
                new PhaseRecord("2", "upgrade", at(2), at(5), PhaseOutcome.FAILED, "apt: exit 100", 100));
        assertThat(report.nodes().get(1).outcome()).isEqualTo(NodeOutcome.NOT_REACHED);
        assertThat(report.gates()).containsExactly(new GateRecord("1", "preflight", at(0), at(1), true, 2,
                List.of(new CheckResult("n1", "svc", true, "exit 0"))));
        assertThat(report.approvals()).containsExactly(new ApprovalRecord("3", "on-failure", "retry, skip or abort?",
                at(5), Decision.REJECTED, "bob", at(9), "abort"));
        assertThat(report.fencesHeld()).containsExactly(new HeldFence("n1", "fence", "upgrading", "unfence n1"));
        assertThat(report.warnings()).containsExactly("n1 left fenced");
        assertThat(report.duration()).isEqualTo(Duration.ofSeconds(10));
        assertThat(ReportJson.fromJson(ReportJson.toJson(report), "x")).isEqualTo(report);
    }

    @Test
    void whatIsStillOpenAtTheEndIsReportedAsCutShort() {
        ReportCollector c = collector(null);
        c.node("n1", "h", Role.STANDBY, "1.0");
        c.phaseStarted("n1", "2", "fence", at(1));
        c.phaseEnded("n1", PhaseOutcome.SUCCEEDED, null, 0, at(2));
        c.fenceHeld("n1", "fence", "upgrading", null);
        c.phaseStarted("n1", "2", "upgrade", at(2));
        c.gateStarted("9", "final", at(3));
        c.approvalRequested("4", "before-switchover", "go?", at(3));

        RunReport report = c.finish(Outcome.ABORTED, "stopped by alice", at(4), null);

        assertThat(report.nodes().get(0).phases().get(1)).isEqualTo(new PhaseRecord("2", "upgrade", at(2), null,
                PhaseOutcome.ABORTED, "the run stopped during this phase", null));
        assertThat(report.nodes().get(0).outcome()).isEqualTo(NodeOutcome.FAILED);
        assertThat(report.gates()).singleElement().satisfies(g -> {
            assertThat(g.green()).isFalse();
            assertThat(g.end()).isNull();
        });
        assertThat(report.approvals()).singleElement().satisfies(a -> assertThat(a.decision()).isNull());
        assertThat(report.fencesHeld()).extracting(HeldFence::node).containsExactly("n1");
    }

    @Test
    void aReleasedFenceIsNotHeldAndPhasesThatAllSucceededAreNotClaimedAsAnUpgrade() {
        ReportCollector c = collector(null);
        c.phaseStarted("n1", "2", "fence", at(1));
        c.phaseEnded("n1", PhaseOutcome.SUCCEEDED, null, 0, at(2));
        c.fenceHeld("n1", "fence", "upgrading", null);
        c.fenceReleased("n1");

        RunReport report = c.finish(Outcome.SUCCEEDED, null, at(3), null);

        assertThat(report.fencesHeld()).isEmpty();
        assertThat(report.nodes().get(0).outcome()).isNull();
    }

    @Test
    @Timeout(10)
    void tellsTheProbeWhatRunsSoOutagesNameIt() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (DowntimeProbe probe = new DowntimeProbe(new ServiceProbe("tcp://127.0.0.1:" + closedPort,
                Duration.ofMillis(10), Duration.ofMillis(200), null, null, null), Duration.ofSeconds(30), e -> { })) {
            ReportCollector c = collector(probe);
            probe.start();
            c.gateStarted("1", "preflight", at(0));
            Thread.sleep(50);
            c.gateEnded("1", true, 1, List.of(), at(1));
            c.phaseStarted("n2", "2", "switchover", at(1));
            Thread.sleep(50);
            c.phaseEnded("n2", PhaseOutcome.SUCCEEDED, null, 0, at(2));
            ProbeResult result = probe.stop();

            RunReport report = c.finish(Outcome.SUCCEEDED, null, at(3), result);

            assertThat(report.probe().outages()).singleElement().satisfies(o -> assertThat(o.activities())
                    .containsExactly(new Activity("cluster", "gate"), new Activity("n2", "switchover")));
        }
    }
}
