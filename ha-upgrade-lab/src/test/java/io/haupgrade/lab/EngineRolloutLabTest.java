package io.haupgrade.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.haupgrade.execute.RunEvent;
import io.haupgrade.execute.StepStatus;
import io.haupgrade.probe.ProbeResult;
import io.haupgrade.report.GateRecord;
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

        assertThat(run.exitCode()).as(run.describe()).isZero();
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

    /**
     * The built-in keepalived profile, as a user writes it ({@code lab/cluster-keepalived-profile.yaml}): its fence
     * stops keepalived on the standby (the lab's systemctl), its switchover raises the peer's priority, its failback
     * restores it on the current master so that the original primary preempts.
     */
    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void rollingUpgradeWithTheBuiltInKeepalivedProfileLosesNoRequest() {
        LabTool profiled = new LabTool(lab, lab.clusterSpec("cluster-keepalived-profile.yaml"),
                lab.directory().resolve("run-profile"));
        assertThat(lab.vipHolders()).containsExactly("n1");
        Map<String, String> pidsBefore = keepalivedPids();
        ProbeReport witness;
        CommandOutput run;
        try (LabProbe probe = startProbe()) {
            run = lab.runInClient(profiled.run("--yes"), RUN_LIMIT);
            witness = settleAndStop(probe);
        }
        RunReport report = profiled.report();
        measure("rolling upgrade, profile keepalived", run, witness, report);

        assertThat(run.exitCode()).as(run.describe()).isZero();
        assertThat(report.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertNoRequestLost(witness, report.probe());
        assertThat(profiled.fenceOrder()).containsExactly("n2", "n3", "n1");
        assertThat(profiled.startedSteps()).containsSubsequence("node:n3:unfence", "switchover:n1->n2",
                "node:n1:fence", "node:n1:unfence", "failback:n2->n1", "gate:final");
        assertEveryNodeOn(NEW, report);
        assertThat(report.fencesHeld()).isEmpty();
        assertThat(lab.vipHolders()).containsExactly("n1");
        assertThat(witness.responders()).containsExactly("n1@" + OLD, "n2@" + NEW, "n1@" + NEW);
        // serviceCheck http-from-primary: every green gate saw the VIP answered by the node holding it, n2 in the
        // gates between the switchover and the failback.
        assertThat(report.gates()).filteredOn(GateRecord::green).isNotEmpty().allSatisfy(gate -> assertThat(
                gate.checks()).anySatisfy(check -> {
                    assertThat(check.check()).isEqualTo("service through the VIP, answered by the VIP holder");
                    assertThat(check.passed()).isTrue();
                }));
        assertThat(report.gates()).flatExtracting(GateRecord::checks)
                .filteredOn(check -> check.check().endsWith("answered by the VIP holder") && check.passed())
                .extracting(check -> check.detail()).anySatisfy(detail -> assertThat(detail).contains("n2"));
        // Every node's keepalived was stopped by its fence and started by its unfence: a new process on each.
        Map<String, String> pidsAfter = keepalivedPids();
        assertThat(pidsAfter.keySet()).containsExactly("n1", "n2", "n3");
        pidsAfter.forEach((node, pid) -> assertThat(pid).as(node).isNotEqualTo(pidsBefore.get(node)).isNotBlank());
        // The configured priorities again, nothing of the profile's left behind, keepalived running everywhere.
        assertThat(keepalivedPriorities()).containsExactly(Map.entry("n1", "150"), Map.entry("n2", "140"),
                Map.entry("n3", "130"));
        for (LabNode node : lab.nodes()) {
            assertThat(lab.ssh(node.name(), "ls /etc/keepalived; systemctl is-active keepalived").stdout())
                    .as(node.name()).doesNotContain("ha-upgrade").endsWith("active\n").doesNotContain("inactive");
        }
    }

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void aStandbyKilledDuringItsUpgradeStopsTheRunNamingItAndTheResumedRunFinishesTheRollout() throws Exception {
        ProbeReport witness;
        CommandOutput resumed;
        RunReport stopped;
        String firstOutput;
        long start = System.nanoTime();
        Duration stoppedAfter;
        try (LabProbe probe = startProbe()) {
            Process first = lab.startInClient(tool.run("--yes"), "tool-first");
            Lab.await("the tool to start node:n3:upgrade", Duration.ofSeconds(90),
                    () -> startedStepsSoFar().contains("node:n3:upgrade") || !first.isAlive());
            assertThat(first.isAlive()).as("the first run is still running").isTrue();
            LabSmokeTest.pause(Duration.ofMillis(300));
            long killed = System.nanoTime();
            lab.killNode("n3");
            assertThat(first.waitFor(90, TimeUnit.SECONDS)).as("the tool stops by itself").isTrue();
            stoppedAfter = Duration.ofNanos(System.nanoTime() - killed);
            firstOutput = new String(first.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(first.exitValue()).as(firstOutput).isEqualTo(1);
            stopped = tool.report();

            // The VIP never left the healthy master; the crashed standby is reported as still fenced.
            assertThat(lab.vipHolders()).containsExactly("n1");
            lab.startNode("n3");
            resumed = lab.runInClient(tool.resume("--yes"), RUN_LIMIT);
            witness = settleAndStop(probe);
        }
        RunReport report = tool.report();
        measure("standby n3 killed during its upgrade, stopped, node restarted, resumed", resumed, witness, report);
        System.out.printf("lab-measure: the tool stopped %d ms after the kill; whole period %d ms%n",
                stoppedAfter.toMillis(), Duration.ofNanos(System.nanoTime() - start).toMillis());
        System.out.printf("lab-measure: the stopped run's output:%n%s%n", firstOutput.indent(4));

        assertThat(firstOutput).contains("n3");
        assertThat(stopped.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(stopped.stoppedAt()).contains("node:n3:upgrade").contains("n3");
        assertThat(stopped.fencesHeld()).extracting(HeldFence::node).containsExactly("n3");
        assertThat(stopped.nodes()).filteredOn(n -> n.name().equals("n3")).extracting(NodeReport::outcome)
                .containsExactly(NodeOutcome.FAILED);

        assertThat(resumed.exitCode()).as(resumed.describe()).isZero();
        assertThat(report.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertNoRequestLost(witness, report.probe());
        assertEveryNodeOn(NEW, report);
        assertThat(report.fencesHeld()).isEmpty();
        List<String> steps = tool.startedSteps();
        int resumedAt = indexOfResume();
        assertThat(resumedAt).isPositive();
        assertThat(steps.subList(resumedAt, steps.size())).doesNotContain("node:n2:upgrade", "node:n3:fence")
                .containsSubsequence("node:n3:verify", "node:n3:unfence", "switchover:n1->n2", "failback:n2->n1");
        assertThat(tool.fenceOrder()).containsExactly("n2", "n3", "n1");
        assertThat(lab.vipHolders()).containsExactly("n1");
        assertThat(witness.responders()).containsExactly("n1@" + OLD, "n2@" + NEW, "n1@" + NEW);
    }

    /** Index in {@link LabTool#startedSteps()} of the first step the resumed process started. */
    private int indexOfResume() {
        int steps = 0;
        int runStarts = 0;
        for (RunEvent e : tool.journal()) {
            if (e instanceof RunEvent.RunStarted) {
                runStarts++;
            } else if (e instanceof RunEvent.StepStarted) {
                if (runStarts > 1) {
                    return steps;
                }
                steps++;
            }
        }
        return -1;
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void aVersionThatFailsVerifyIsRolledBackAndTheRolloutStopsWithoutDowntime() {
        ProbeReport witness;
        CommandOutput run;
        try (LabProbe probe = startProbe()) {
            run = lab.runInClient(tool.run("--target-version", "2.0.0-broken", "--yes"), RUN_LIMIT);
            witness = settleAndStop(probe);
        }
        RunReport report = tool.report();
        measure("upgrade to a broken version (rollback)", run, witness, report);

        assertThat(run.exitCode()).as(run.describe()).isEqualTo(1);
        // The upgrade ran (the new version serves); verify found it unhealthy.
        assertThat(run.stdout()).contains("failed at step node:n2:verify");
        assertThat(report.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(report.stoppedAt()).contains("node:n2:verify");
        assertNoRequestLost(witness, report.probe());
        // The first standby was tried, rolled back, verified on its old version and unfenced; nobody else was touched.
        assertThat(tool.fenceOrder()).containsExactly("n2");
        assertThat(report.nodes()).filteredOn(n -> n.name().equals("n2")).extracting(NodeReport::outcome)
                .containsExactly(NodeOutcome.ROLLED_BACK);
        assertThat(report.nodes()).filteredOn(n -> !n.name().equals("n2")).extracting(NodeReport::outcome)
                .doesNotContain(NodeOutcome.UPGRADED, NodeOutcome.ROLLED_BACK, NodeOutcome.FAILED);
        assertThat(tool.startedSteps()).noneMatch(s -> s.startsWith("node:n3:") || s.startsWith("switchover"));
        assertThat(report.fencesHeld()).isEmpty();
        assertEveryNodeOn(OLD, report);
        assertThat(lab.vrrpState("n2")).isEqualTo("BACKUP");
        assertThat(lab.vipHolders()).containsExactly("n1");
        assertThat(witness.responders()).containsExactly("n1@" + OLD);
    }

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void aToolKilledDuringAStandbysUpgradeIsResumedWithoutRepeatingWhatWasDone() throws Exception {
        ProbeReport witness;
        CommandOutput resumed;
        long killedAt;
        long start = System.nanoTime();
        try (LabProbe probe = startProbe()) {
            Process first = lab.startInClient(tool.run("--yes"), "tool-first");
            // SIGKILL while n3's upgrade command runs (it restarts the service: about 2 s).
            Lab.await("the tool to start node:n3:upgrade", Duration.ofSeconds(90),
                    () -> startedStepsSoFar().contains("node:n3:upgrade") || !first.isAlive());
            assertThat(first.isAlive()).as("the first run is still running").isTrue();
            LabSmokeTest.pause(Duration.ofMillis(300));
            first.destroyForcibly();
            assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();
            killedAt = System.nanoTime();
            List<String> beforeKill = tool.startedSteps();
            assertThat(tool.journal()).noneMatch(RunEvent.RunFinished.class::isInstance);
            // The dead run's lock stays on the nodes for its resume.
            assertThat(lab.ssh("n1", "cat .ha-upgrade/locks/lab-keepalived/owner").stdout()).contains("lab-test");

            resumed = lab.runInClient(tool.resume("--yes"), RUN_LIMIT);
            witness = settleAndStop(probe);

            List<String> all = tool.startedSteps();
            List<String> afterKill = all.subList(beforeKill.size(), all.size());
            RunReport report = tool.report();
            measure("run killed (SIGKILL) during n3's upgrade and resumed", resumed, witness, report);
            System.out.printf("lab-measure: killed after %d ms; whole period %d ms%n",
                    Duration.ofNanos(killedAt - start).toMillis(), Duration.ofNanos(System.nanoTime() - start).toMillis());

            assertThat(resumed.exitCode()).as(resumed.describe()).isZero();
            assertThat(report.outcome()).isEqualTo(Outcome.SUCCEEDED);
            // The engine's probe covers the resumed part (a new process), the lab's the whole period.
            assertNoRequestLost(witness, report.probe());
            // Done steps are not run again; the interrupted upgrade is checked first (already at the target version:
            // not run again, or run again when the kill came before the new version served).
            assertThat(beforeKill).endsWith("node:n3:upgrade").contains("node:n2:unfence");
            assertThat(afterKill).doesNotContain("gate:preflight", "node:n2:fence", "node:n2:upgrade", "node:n2:verify",
                    "node:n2:unfence", "node:n3:fence");
            assertThat(afterKill).containsSubsequence("node:n3:verify", "node:n3:unfence", "switchover:n1->n2",
                    "node:n1:fence", "failback:n2->n1", "gate:final");
            assertThat(tool.journal()).filteredOn(RunEvent.StepFinished.class::isInstance)
                    .map(e -> (RunEvent.StepFinished) e).filteredOn(f -> f.stepId().equals("node:n3:upgrade"))
                    .extracting(RunEvent.StepFinished::status).hasSize(1)
                    .first().isIn(StepStatus.ALREADY_DONE, StepStatus.SUCCEEDED);
            // The resumed process took the lock again (same run) and released it at the end.
            assertThat(tool.journal()).filteredOn(RunEvent.RunStarted.class::isInstance).hasSize(2);
            assertThat(lab.ssh("n1", "ls .ha-upgrade/locks/").stdout()).doesNotContain("lab-keepalived");
            assertEveryNodeOn(NEW, report);
            assertThat(report.fencesHeld()).isEmpty();
            assertThat(lab.vipHolders()).containsExactly("n1");
        }
        // The lab's probe covers the whole period: first run, the kill, the gap, the resumed run.
        assertThat(witness.failed()).as("lab probe: " + witness.summary()).isZero();
        assertThat(witness.responders()).containsExactly("n1@" + OLD, "n2@" + NEW, "n1@" + NEW);
    }

    private List<String> startedStepsSoFar() {
        try {
            return tool.startedSteps();
        } catch (RuntimeException e) {
            return List.of(); // the journal does not exist yet
        }
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

    private Map<String, String> keepalivedPids() {
        return lab.nodes().stream().collect(Collectors.toMap(LabNode::name, n -> lab.ssh(n.name(),
                "cat /run/keepalived.pid").stdout().strip(), (a, b) -> a, java.util.TreeMap::new));
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
