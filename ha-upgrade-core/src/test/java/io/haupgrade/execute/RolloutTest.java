package io.haupgrade.execute;

import static org.assertj.core.api.Assertions.assertThat;

import io.haupgrade.journal.Journal;
import io.haupgrade.report.NodeOutcome;
import io.haupgrade.report.NodeReport;
import io.haupgrade.report.Outcome;
import io.haupgrade.report.ReportJson;
import io.haupgrade.report.RunReport;
import io.haupgrade.spec.ClusterSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Whole runs on a simulated cluster of three embedded SSH nodes (n1 primary). */
@Timeout(60)
class RolloutTest {
    @TempDir
    Path tmp;
    SimCluster sim;

    @BeforeEach
    void start() throws Exception {
        sim = SimCluster.start(tmp.resolve("nodes"), 3);
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    private StepOutcome.Finished run(ClusterSpec spec, Path runDir, Approver approver) throws Exception {
        try (Rollout rollout = Rollout.start(sim.request(spec, runDir), sim.context(spec))) {
            return new RolloutRunner(rollout, approver, Clock.systemUTC()).run();
        }
    }

    @Test
    void onPeerRunsOnTheNodeTakingThePrimaryRoleInSwitchoverAndFailback() throws Exception {
        // keepalived's lossless move: the peer raises its own priority (switchover) and the old primary takes the
        // role back when the peer lowers it again (failback). Each command logs the directory (node) it ran in.
        String log = "echo \"$(basename \"$PWD\") %s\" >> ../cluster.log";
        String moves = """
                  switchover:
                    - run: '%s; echo MASTER > role'
                      on: peer
                    - run: '%s; echo BACKUP > role'
                  failback:
                    - run: '%s; echo BACKUP > role'
                    - run: '%s; echo MASTER > role'
                      on: peer
                """.formatted(log.formatted("raises-itself"), log.formatted("steps-down"),
                log.formatted("lowers-itself"), log.formatted("takes-back"));
        String yaml = sim.specYaml("failback: true", "").replaceFirst("(?m)^  switchover: .*\n",
                java.util.regex.Matcher.quoteReplacement(moves));
        ClusterSpec spec = io.haupgrade.spec.SpecLoader.parse(yaml, "sim.yaml");

        StepOutcome.Finished done = run(spec, tmp.resolve("peer"), Approvers.refuseAll("nobody", Clock.systemUTC()));

        assertThat(done.status()).as(done.stoppedAt()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(sim.log()).containsSubsequence("n3 unfence", "n2 raises-itself", "n1 steps-down", "n1 fence",
                "n1 unfence", "n2 lowers-itself", "n1 takes-back");
        assertThat(sim.read("n1", "role")).isEqualTo("MASTER");
        assertThat(sim.read("n2", "role")).isEqualTo("BACKUP");
        assertThat(sim.events(RunEvent.CommandStarted.class)).filteredOn(c -> c.phase().equals("switchover"))
                .extracting(RunEvent.CommandStarted::node).containsExactly("n2", "n1");
    }

    @Test
    void rollingUpgradeTouchesStandbysFirstThePrimaryLastAfterASwitchover() throws Exception {
        ClusterSpec spec = sim.spec("", "");
        Path runDir = tmp.resolve("run1");

        StepOutcome.Finished done = run(spec, runDir, Approvers.refuseAll("nobody", Clock.systemUTC()));

        assertThat(done.status()).as(done.stoppedAt()).isEqualTo(RunStatus.SUCCEEDED);
        for (String n : List.of("n1", "n2", "n3")) {
            assertThat(sim.read(n, "version")).isEqualTo(SimCluster.TARGET);
            assertThat(sim.log(n)).containsSubsequence("snapshot", "fence", "upgrade", "verify", "unfence");
        }
        assertThat(Invariants.fenceOrder(sim)).containsExactly("n2", "n3", "n1");
        // The switchover ran on n1 before n1 was fenced, and moved the role to an upgraded node.
        assertThat(sim.log()).containsSubsequence("n2 unfence", "n3 unfence", "n1 switchover", "n1 fence");
        assertThat(sim.read("n1", "role")).isEqualTo("BACKUP");
        // What the run says it knows is never older than what a gate read: once a gate saw a node on the target
        // version, no later view shows it on the old one (the switchover's view did, for the last standby).
        Map<String, String> seen = new HashMap<>();
        for (RunEvent event : sim.events(RunEvent.class)) {
            if (event instanceof RunEvent.GateFinished gate) {
                gate.result().versions().forEach((node, version) -> {
                    if (version.equals(SimCluster.TARGET)) {
                        seen.put(node, version);
                    }
                });
            } else if (event instanceof RunEvent.RolesDiscovered view) {
                seen.forEach((node, version) -> assertThat(view.versions()).as(view.toString())
                        .containsEntry(node, version));
            }
        }
        RunReport report = done.report();
        Invariants.check(sim, 1, report);
        assertThat(report.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(report.nodes()).extracting(NodeReport::outcome).containsOnly(NodeOutcome.UPGRADED);
        assertThat(report.fencesHeld()).isEmpty();
        assertThat(ReportJson.read(runDir.resolve(Rollout.REPORT)).runId()).isEqualTo(report.runId());
        assertThat(Journal.read(runDir.resolve(Rollout.JOURNAL), RunEvent.class))
                .last().isInstanceOf(RunEvent.RunFinished.class);
        // The lock is gone from every node.
        for (String n : List.of("n1", "n2", "n3")) {
            assertThat(sim.node(n).dir().resolve(".ha-upgrade/locks/sim")).doesNotExist();
        }
    }

    /** ${node.fenced} is this run's word: true in the checks of a node it fenced (verify), false in every gate. */
    @Test
    void nodeChecksSeeNodeFencedTrueOnlyWhileThisRunHoldsTheNodeFenced() throws Exception {
        ClusterSpec spec = io.haupgrade.spec.SpecLoader.parse(sim.specYaml("", "").replace("  node:\n",
                "  node:\n    - name: fenced-flag\n      command: 'echo \"${node.name} check-fenced-${node.fenced}\" >> "
                        + "../cluster.log'\n"), "sim.yaml");

        StepOutcome.Finished done = run(spec, tmp.resolve("run"), Approvers.refuseAll("x", Clock.systemUTC()));

        assertThat(done.status()).as(done.stoppedAt()).isEqualTo(RunStatus.SUCCEEDED);
        List<String> n2 = sim.log("n2");
        int upgrade = n2.indexOf("upgrade");
        int unfence = n2.indexOf("unfence");
        assertThat(n2.subList(upgrade, unfence)).contains("check-fenced-true").doesNotContain("check-fenced-false");
        assertThat(n2.subList(0, n2.indexOf("fence"))).contains("check-fenced-false").doesNotContain("check-fenced-true");
        assertThat(n2.subList(unfence, n2.size())).contains("check-fenced-false").doesNotContain("check-fenced-true");
    }

    /** The sim's nodes share this machine's boot: each has a boot-id file instead, which a "reboot" renews. */
    private ClusterSpec rebooting(String rebootTimeout) throws Exception {
        for (String n : List.of("n1", "n2", "n3")) {
            java.nio.file.Files.writeString(sim.node(n).dir().resolve("boot-id"), "boot-1\n");
        }
        return io.haupgrade.spec.SpecLoader.parse(sim.specYaml("", "")
                .replace("  version:\n    command: cat version\n", "  version:\n    command: cat version\n"
                        + "  bootId: cat boot-id\n")
                .replace("    reboot: 5s\n", "    reboot: " + rebootTimeout + "\n")
                .replace("  verify: ", "  reboot: 'echo \"${node.name} reboot\" >> ../cluster.log'\n  verify: "),
                "sim.yaml");
    }

    @Test
    void rebootWaitsUntilTheNodeAnswersFromANewBootAndSaysWhatItWaitsFor() throws Exception {
        ClusterSpec rebooting = rebooting("5s");
        java.util.concurrent.ScheduledExecutorService later = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        try {
            sim.hook = e -> {
                for (String n : List.of("n1", "n2", "n3")) {
                    if (SimCluster.command(e, RunEvent.CommandFinished.class, n, "reboot")) {
                        // Up with its old boot for 0.5 s (as a node shutting down), then down, then a new boot.
                        later.schedule(() -> sim.node(n).stop(), 500, java.util.concurrent.TimeUnit.MILLISECONDS);
                        later.schedule(() -> {
                            java.nio.file.Files.writeString(sim.node(n).dir().resolve("boot-id"), "boot-2\n");
                            return sim.node(n).start();
                        }, 1500, java.util.concurrent.TimeUnit.MILLISECONDS);
                    }
                }
            };
            StepOutcome.Finished done = run(rebooting, tmp.resolve("run"), Approvers.refuseAll("x", Clock.systemUTC()));

            assertThat(done.status()).as(done.stoppedAt()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(sim.log("n2")).containsExactly("snapshot", "fence", "upgrade", "reboot", "verify", "unfence");
            assertThat(done.report().nodes()).filteredOn(n -> n.name().equals("n2")).singleElement()
                    .satisfies(n -> assertThat(n.phases()).anySatisfy(p -> {
                        assertThat(p.phase()).isEqualTo("reboot");
                        assertThat(p.detail()).contains("n2 answers again after").contains("booted anew");
                        // Not before the node went down and came back: the old boot's answers did not count.
                        assertThat(Duration.between(p.start(), p.end())).isGreaterThan(Duration.ofMillis(1400));
                    }));
            Invariants.check(sim, 1, done.report());
        } finally {
            later.shutdownNow();
        }
    }

    @Test
    void aRebootThatDoesNotRebootStopsTheRunWithTheNodeFencedAndSaysSo() throws Exception {
        ClusterSpec notRebooting = rebooting("1s");

        StepOutcome.Finished done = run(notRebooting, tmp.resolve("run"), Approvers.refuseAll("x", Clock.systemUTC()));

        assertThat(done.status()).isEqualTo(RunStatus.FAILED);
        assertThat(done.stoppedAt()).contains("node:n2:reboot")
                .contains("n2 still runs the boot it had before its reboot (boot id boot-1) after PT1S");
        assertThat(sim.log("n2")).startsWith("snapshot", "fence", "upgrade", "reboot").doesNotContain("verify");
        assertThat(sim.log("n3")).isEmpty();
        assertThat(sim.log("n1")).isEmpty();
        Invariants.check(sim, 1, done.report());
    }

    @Test
    void batchesOfTwoAndHooksRunInPlanOrderWithinTheLimits() throws Exception {
        String hooks = "hooks:\n"
                + "  beforeAll: 'echo \"${primary.name} before-all\" >> ../cluster.log'\n"
                + "  afterAll: 'echo \"${primary.name} after-all\" >> ../cluster.log'\n"
                + "  beforeNode: 'echo \"${node.name} before-node\" >> ../cluster.log'\n"
                + "  afterNode: 'echo \"${node.name} after-node\" >> ../cluster.log'\n";
        ClusterSpec spec = sim.spec("maxUnavailable: 2", hooks);

        StepOutcome.Finished done = run(spec, tmp.resolve("run"), Approvers.refuseAll("x", Clock.systemUTC()));

        assertThat(done.status()).as(done.stoppedAt()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(sim.log().get(0)).isEqualTo("n1 before-all");
        assertThat(sim.log()).last().isEqualTo(sim.log().stream().filter(l -> l.endsWith("after-all")).findFirst()
                .orElseThrow());
        assertThat(Invariants.fenceOrder(sim).subList(0, 2)).containsExactlyInAnyOrder("n2", "n3");
        assertThat(Invariants.fenceOrder(sim).get(2)).isEqualTo("n1");
        assertThat(sim.log()).containsSubsequence("n2 before-node", "n2 fence", "n2 unfence", "n2 after-node",
                "n1 switchover", "n1 before-node", "n1 fence");
        assertThat(sim.events(RunEvent.StepStarted.class)).anySatisfy(s -> assertThat(s.step().nodes())
                .containsExactlyInAnyOrder("n2", "n3"));
        Invariants.check(sim, 2, done.report());
    }
}
