package io.haupgrade.report;

import io.haupgrade.probe.Activity;
import io.haupgrade.probe.BackendSpan;
import io.haupgrade.probe.Outage;
import io.haupgrade.probe.ProbeResult;
import io.haupgrade.spec.Role;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A realistic failed rolling upgrade of a 3-node keepalived cluster: n1 and n2 (backups) upgraded, an approval
 * before the switchover, the VIP moved to n1 with one 400 ms outage, then n3's upgrade failed and it stays fenced.
 */
final class SampleReports {

    static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    private SampleReports() {
    }

    static Instant at(double seconds) {
        return T0.plusMillis(Math.round(seconds * 1000));
    }

    static RunReport failedRollingUpgrade() {
        List<ReportStep> plan = List.of(
                new ReportStep("1", "gate", List.of(), "preflight: cluster healthy"),
                new ReportStep("2", "upgrade-node", List.of("n1"), "upgrade backup n1 to 6.1.2"),
                new ReportStep("3", "upgrade-node", List.of("n2"), "upgrade backup n2 to 6.1.2"),
                new ReportStep("4", "approval", List.of(), "approve before moving the VIP off n3"),
                new ReportStep("5", "switchover", List.of("n3", "n1"), "move the VIP from n3 to n1"),
                new ReportStep("6", "upgrade-node", List.of("n3"), "upgrade old master n3 to 6.1.2"),
                new ReportStep("7", "gate", List.of(), "final: cluster healthy"));
        List<NodeReport> nodes = List.of(
                new NodeReport("n1", "10.0.0.11", Role.STANDBY, Role.PRIMARY, "6.1.1", "6.1.2", NodeOutcome.UPGRADED,
                        upgraded("2", 1.0)),
                new NodeReport("n2", "10.0.0.12", Role.STANDBY, Role.STANDBY, "6.1.1", "6.1.2", NodeOutcome.UPGRADED,
                        upgraded("3", 5.5)),
                new NodeReport("n3", "10.0.0.13", Role.PRIMARY, Role.STANDBY, "6.1.1", "6.1.1", NodeOutcome.FAILED,
                        List.of(
                                new PhaseRecord("5", "switchover", at(22.0), at(23.2), PhaseOutcome.SUCCEEDED,
                                        "VIP moved to n1", 0),
                                new PhaseRecord("6", "snapshot", at(23.4), at(24.0), PhaseOutcome.SUCCEEDED, null, 0),
                                new PhaseRecord("6", "fence", at(24.0), at(24.6), PhaseOutcome.SUCCEEDED, null, 0),
                                new PhaseRecord("6", "upgrade", at(24.6), at(27.9), PhaseOutcome.FAILED,
                                        "apt-get install app=6.1.2: E: Unable to locate package <app>", 100))));
        List<GateRecord> gates = List.of(
                new GateRecord("1", "preflight: cluster healthy", at(0.0), at(0.8), true, 1, List.of(
                        new CheckResult("n1", "keepalived", true, "exit 0"),
                        new CheckResult("n2", "keepalived", true, "exit 0"),
                        new CheckResult("n3", "keepalived", true, "exit 0"),
                        new CheckResult("cluster", "vip", true, "HTTP 200 in 3 ms"))));
        List<ApprovalRecord> approvals = List.of(new ApprovalRecord("4", "before-switchover",
                "n1 and n2 run 6.1.2. Move the VIP from n3 to n1?", at(10.0), Decision.APPROVED, "alice",
                null, at(22.0), "looks good"));
        List<Outage> outages = List.of(new Outage(at(22.6), at(23.0), Duration.ofMillis(400), 20, "HTTP 503",
                List.of(new Activity("n3", "switchover")), false));
        List<BackendSpan> backends = List.of(
                new BackendSpan(at(-0.5), at(22.58), "n3", "6.1.1", 1154),
                new BackendSpan(at(23.0), at(28.5), "n1", "6.1.2", 276));
        ProbeResult probe = new ProbeResult("http://10.0.0.30/health", Duration.ofMillis(20), Duration.ofMillis(200),
                Duration.ofSeconds(2), at(-0.5), at(28.5), 1450, 20, 100.0 * 1430 / 1450, Duration.ofMillis(400),
                Duration.ofMillis(400), false, false, outages, 0, backends, 0, 1, Duration.ZERO);
        return new RunReport(RunReport.SCHEMA_VERSION, "lb-prod-20261123-100000", "lb-prod", "rolling", "6.1.2",
                at(0.0), at(28.4), Outcome.FAILED, "step 6 (upgrade old master n3): upgrade failed, exit 100",
                "bob", plan, nodes, gates, approvals, null, probe,
                List.of(new HeldFence("n3", "fence", "upgrade failed (exit 100); onFailure: abort",
                        "systemctl start keepalived")),
                List.of("n3 still runs 6.1.1 while n1 and n2 run 6.1.2"));
    }

    private static List<PhaseRecord> upgraded(String step, double start) {
        String[] phases = {"snapshot", "fence", "upgrade", "verify", "unfence"};
        double[] lengths = {0.5, 0.4, 2.2, 0.8, 0.4};
        List<PhaseRecord> records = new ArrayList<>();
        double t = start;
        for (int i = 0; i < phases.length; i++) {
            records.add(new PhaseRecord(step, phases[i], at(t), at(t + lengths[i]), PhaseOutcome.SUCCEEDED, null, 0));
            t += lengths[i];
        }
        return records;
    }
}
