package io.haupgrade.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.haupgrade.execute.RunEvent;
import io.haupgrade.execute.StepStatus;
import io.haupgrade.probe.ProbeResult;
import io.haupgrade.report.HeldFence;
import io.haupgrade.report.NodeOutcome;
import io.haupgrade.report.NodeReport;
import io.haupgrade.report.Outcome;
import io.haupgrade.report.RunReport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The real tool against the real cluster: {@code ha-upgrade run} (the CLI's shaded jar) in the lab's client namespace
 * upgrades the 3-node keepalived lab with the commands of {@code lab/cluster.yaml}, while two probes watch the VIP
 * every 20 ms with a 200 ms timeout: the lab's own ({@link LabProbe}, an independent witness in its own JVM) and the
 * engine's (the spec's {@code probe:}, in the report). Each scenario checks what a person on call would: no request
 * lost, the VIP holder upgraded last, every node on the version asked for, nothing left fenced, and on a failure a
 * report that says where the run stopped and what is still held.
 */
class EngineRolloutLabTest {
    private static final Duration RUN_LIMIT = Duration.ofSeconds(150);
    private static final String OLD = "1.0.0";
    private static final String NEW = "2.0.0";

    private Lab lab;
    private Path spec;
    private LabTool tool;

    @BeforeEach
    void startLab() {
        LabSupport.assumeLabCanRun();
        LabTool.assumeJar();
        lab = Lab.start(LabConfig.defaults());
        spec = lab.clusterSpec();
        tool = new LabTool(lab, spec, lab.directory().resolve("run"));
    }

    @AfterEach
    void closeLab() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void rollingUpgradeLosesNoRequestAndUpgradesTheVipHolderLast() {
        upgradeWholeCluster("rolling");
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void activePassiveUpgradeLosesNoRequestAndUpgradesTheVipHolderLast() {
        upgradeWholeCluster("active-passive");
    }

    private void upgradeWholeCluster(String strategy) {
        assertThat(lab.vipHolders()).containsExactly("n1");
        ProbeReport witness;
        CommandOutput run;
        try (LabProbe probe = startProbe()) {
            run = lab.runInClient(tool.run("--strategy", strategy, "--yes"), RUN_LIMIT);
            witness = settleAndStop(probe);
        }
        RunReport report = tool.report();
        measure(strategy + " upgrade", run, witness, report);

        assertThat(run.exitCode()).as(output(run)).isZero();
        assertThat(report.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertNoRequestLost(witness, report.probe());
        // The VIP holder at the start (n1) is fenced last, after the switchover, and takes the VIP back (failback).
        assertThat(tool.fenceOrder()).containsExactly("n2", "n3", "n1");
        List<String> steps = tool.startedSteps();
        assertThat(steps).containsSubsequence("node:n3:unfence", "switchover:n1->n2", "node:n1:fence",
                "node:n1:unfence", "failback:n2->n1", "gate:final");
        if (strategy.equals("active-passive")) {
            assertThat(steps).containsSubsequence("node:n3:unfence", "approval:before-switchover", "switchover:n1->n2");
            assertThat(report.approvals()).isNotEmpty();
        }
        assertEveryNodeOn(NEW, report);
        assertThat(report.fencesHeld()).isEmpty();
        assertThat(lab.vipHolders()).containsExactly("n1");
        // Old version from n1 until the switchover, the new one from n2 and then from n1 again.
        assertThat(witness.responders()).containsExactly("n1@" + OLD, "n2@" + NEW, "n1@" + NEW);
        assertThat(keepalivedPriorities()).containsExactly(Map.entry("n1", "150"), Map.entry("n2", "140"),
                Map.entry("n3", "130"));
    }

    private LabProbe startProbe() {
        LabProbe probe = LabProbe.start(lab, LabSmokeTest.PROBE_INTERVAL, LabSmokeTest.PROBE_TIMEOUT,
                Duration.ofSeconds(300));
        LabSmokeTest.pause(Duration.ofMillis(300));
        return probe;
    }

    /** Probes on past the run's end (the helpers end 3-5 s after a move), then stops the probe. */
    private static ProbeReport settleAndStop(LabProbe probe) {
        LabSmokeTest.pause(Duration.ofSeconds(1));
        return probe.stop();
    }

    private static void assertNoRequestLost(ProbeReport witness, ProbeResult engine) {
        assertThat(witness.failed()).as("lab probe: " + witness.summary()).isZero();
        assertThat(engine).as("the engine's probe result in the report").isNotNull();
        assertThat(engine.failed()).as("engine probe: %s", engine).isZero();
        assertThat(engine.sent()).as("engine probe requests").isGreaterThan(100);
        assertThat(engine.interval()).isEqualTo(Duration.ofMillis(20));
        assertThat(engine.timeout()).isEqualTo(Duration.ofMillis(200));
    }

    /** Every node runs {@code version}: asked over ssh (the running service) and as the report says. */
    private void assertEveryNodeOn(String version, RunReport report) {
        for (LabNode node : lab.nodes()) {
            assertThat(lab.ssh(node.name(), "/opt/app/appctl version").requireSuccess("version of " + node.name())
                    .stdout().strip()).as(node.name()).isEqualTo(version);
        }
        assertThat(report.nodes()).extracting(NodeReport::name, NodeReport::versionAfter)
                .containsExactlyInAnyOrder(lab.nodes().stream()
                        .map(n -> org.assertj.core.groups.Tuple.tuple(n.name(), version)).toArray(
                                org.assertj.core.groups.Tuple[]::new));
    }

    private Map<String, String> keepalivedPriorities() {
        return lab.nodes().stream().collect(Collectors.toMap(LabNode::name, n -> lab.ssh(n.name(),
                "awk '$1 == \"priority\" {print $2; exit}' /etc/keepalived/keepalived.conf").stdout().strip(),
                (a, b) -> a, java.util.TreeMap::new));
    }

    private static String output(CommandOutput run) {
        return "exit " + run.exitCode() + "\nstdout:\n" + run.stdout() + "\nstderr:\n" + run.stderr();
    }

    private static void measure(String what, CommandOutput run, ProbeReport witness, RunReport report) {
        ProbeResult engine = report.probe();
        System.out.printf("lab-measure: engine %s: tool %d ms (exit %d, %s); lab probe %d sent, %d failed, longest "
                        + "outage %d ms; engine probe %s%n", what, run.elapsed().toMillis(), run.exitCode(),
                report.outcome(), witness.total(), witness.failed(), witness.longestOutage().toMillis(),
                engine == null ? "none" : engine.sent() + " sent, " + engine.failed() + " failed, longest outage "
                        + engine.longestOutage().toMillis() + " ms" + (engine.outages().isEmpty() ? ""
                        : ", outages " + engine.outages().stream().map(o -> o.start() + " " + o.length().toMillis()
                        + " ms " + o.failedProbes() + " failed: " + o.firstError() + " during " + o.activities())
                        .toList()));
        if (witness.failed() > 0) {
            System.out.printf("lab-measure: lab probe outages %s%n", witness.summary());
        }
    }
}
