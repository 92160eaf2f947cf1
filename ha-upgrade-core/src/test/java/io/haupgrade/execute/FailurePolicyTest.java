package io.haupgrade.execute;

import static org.assertj.core.api.Assertions.assertThat;

import io.haupgrade.execute.ApprovalDecision.Answer;
import io.haupgrade.report.NodeOutcome;
import io.haupgrade.report.NodeReport;
import io.haupgrade.report.PhaseOutcome;
import io.haupgrade.spec.ClusterSpec;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Faults injected into a simulated 3-node cluster (n1 primary) and what each failure policy does about them. */
@Timeout(60)
class FailurePolicyTest {
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

    private StepOutcome.Finished run(ClusterSpec spec) throws Exception {
        try (Rollout rollout = Rollout.start(sim.request(spec, tmp.resolve("run")), sim.context(spec))) {
            return new RolloutRunner(rollout, Approvers.refuseAll("nobody", Clock.systemUTC()), Clock.systemUTC()).run();
        }
    }

    private static NodeReport node(StepOutcome.Finished done, String name) {
        return done.report().nodes().stream().filter(n -> n.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void abortStopsAtTheFailedNodeLeavesItFencedAndReportsItLoudly() throws Exception {
        sim.write("n2", "fail-upgrade", "");

        StepOutcome.Finished done = run(sim.spec("onFailure: abort", ""));

        assertThat(done.status()).isEqualTo(RunStatus.FAILED);
        assertThat(done.stoppedAt()).contains("node:n2:upgrade").contains("exited 3");
        assertThat(sim.log()).containsExactly("n2 snapshot", "n2 fence", "n2 upgrade");
        assertThat(sim.read("n2", "fence")).isEqualTo("fenced");
        assertThat(done.report().fencesHeld()).singleElement().satisfies(h -> {
            assertThat(h.node()).isEqualTo("n2");
            assertThat(h.reason()).contains("on-failure abort").contains("exited 3");
            assertThat(h.undo()).isEqualTo("on n2: echo \"n2 unfence\" >> ../cluster.log; [ ! -e fail-unfence ] || exit 3; "
                    + "rm -f fence");
        });
        assertThat(node(done, "n2").outcome()).isEqualTo(NodeOutcome.FAILED);
        assertThat(node(done, "n3").outcome()).isEqualTo(NodeOutcome.NOT_REACHED);
        assertThat(node(done, "n2").phases()).extracting(p -> p.phase() + "=" + p.outcome())
                .containsExactly("snapshot=SUCCEEDED", "fence=SUCCEEDED", "upgrade=FAILED");
        Invariants.check(sim, 1, done.report());
    }

    @Test
    void rollbackRestoresTheNodeVerifiesItUnfencesItAndStopsTheRollout() throws Exception {
        sim.write("n2", "fail-upgrade", "");

        StepOutcome.Finished done = run(sim.spec("onFailure: rollback", ""));

        assertThat(done.status()).isEqualTo(RunStatus.FAILED);
        assertThat(sim.log()).containsExactly("n2 snapshot", "n2 fence", "n2 upgrade", "n2 rollback", "n2 verify",
                "n2 unfence");
        assertThat(sim.read("n2", "version")).isEqualTo(SimCluster.FROM);
        assertThat(sim.read("n2", "fence")).isNull();
        assertThat(done.report().fencesHeld()).isEmpty();
        assertThat(node(done, "n2").outcome()).isEqualTo(NodeOutcome.ROLLED_BACK);
        assertThat(node(done, "n2").versionAfter()).as("the rollback's verify checked the old version")
                .isEqualTo(SimCluster.FROM);
        Invariants.check(sim, 1, done.report());
    }

    @Test
    void aNodeRolledBackAfterAFailedVerifyIsReportedOnItsOldVersion() throws Exception {
        // The new version is installed and seen, and its verify fails; on the old version verify passes.
        sim.write("n2", "bad-new-version", "");
        String yaml = sim.specYaml("onFailure: rollback", "").replaceFirst("(?m)^  verify: .*\n",
                java.util.regex.Matcher.quoteReplacement(
                        "  verify: '[ \"$(cat version)\" != " + SimCluster.TARGET + " ] || [ ! -e bad-new-version ]'\n"));

        StepOutcome.Finished done = run(io.haupgrade.spec.SpecLoader.parse(yaml, "sim.yaml"));

        assertThat(done.status()).isEqualTo(RunStatus.FAILED);
        assertThat(done.stoppedAt()).contains("node:n2:verify");
        assertThat(sim.read("n2", "version")).isEqualTo(SimCluster.FROM);
        assertThat(node(done, "n2").outcome()).isEqualTo(NodeOutcome.ROLLED_BACK);
        assertThat(node(done, "n2").versionBefore()).isEqualTo(SimCluster.FROM);
        assertThat(node(done, "n2").versionAfter()).isEqualTo(SimCluster.FROM);
    }

    @Test
    void rollbackThatFailsItselfLeavesTheNodeFencedWithTheReason() throws Exception {
        sim.write("n2", "fail-upgrade", "");
        sim.write("n2", "fail-rollback", "");

        StepOutcome.Finished done = run(sim.spec("onFailure: rollback", ""));

        assertThat(sim.log()).endsWith("n2 rollback");
        assertThat(done.report().fencesHeld()).singleElement()
                .satisfies(h -> assertThat(h.reason()).startsWith("rollback failed"));
        Invariants.check(sim, 1, done.report());
    }

    @Test
    void pauseWaitsForAPersonWhoRetriesAfterFixingTheNodeAndTheRunGoesOn() throws Exception {
        sim.write("n2", "fail-upgrade", "");
        ClusterSpec spec = sim.spec("onFailure: pause", "");
        try (Rollout rollout = Rollout.start(sim.request(spec, tmp.resolve("run")), sim.context(spec))) {
            StepOutcome outcome = rollout.next();
            while (outcome instanceof StepOutcome.Continue) {
                outcome = rollout.next();
            }
            assertThat(outcome).isInstanceOf(StepOutcome.AwaitingApproval.class);
            ApprovalRequest request = ((StepOutcome.AwaitingApproval) outcome).request();
            assertThat(request.point()).isEqualTo("on-failure");
            assertThat(request.choices()).containsExactly(Answer.RETRY, Answer.SKIP, Answer.ABORT);
            assertThat(request.message()).contains("node:n2:upgrade").contains("exited 3");
            assertThat(request.evidence().fenced()).containsExactly("n2");
            // Nothing else is touched while the run waits.
            assertThat(rollout.next()).isInstanceOf(StepOutcome.AwaitingApproval.class);
            assertThat(sim.log()).containsExactly("n2 snapshot", "n2 fence", "n2 upgrade");

            java.nio.file.Files.delete(sim.node("n2").dir().resolve("fail-upgrade"));
            rollout.decide(ApprovalDecision.of(request.id(), Answer.RETRY, "bob", Instant.now(), "fixed the repo"));
            StepOutcome.Finished done = new RolloutRunner(rollout, Approvers.refuseAll("nobody", Clock.systemUTC()),
                    Clock.systemUTC()).run();

            assertThat(done.status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(sim.log("n2")).containsExactly("snapshot", "fence", "upgrade", "upgrade", "verify", "unfence");
            assertThat(done.report().approvals()).singleElement().satisfies(a -> {
                assertThat(a.by()).isEqualTo("bob");
                assertThat(a.comment()).contains("retry");
            });
            Invariants.check(sim, 1, done.report());
        }
    }

    @Test
    void unreachableNodeMidRunIsReportedAndNoFurtherNodeIsTouched() throws Exception {
        sim.hook = e -> {
            if (SimCluster.command(e, RunEvent.CommandFinished.class, "n2", "fence")) {
                sim.node("n2").stop();
            }
        };

        StepOutcome.Finished done = run(sim.spec("onFailure: abort", ""));

        assertThat(done.status()).isEqualTo(RunStatus.FAILED);
        assertThat(done.stoppedAt()).contains("node:n2:upgrade");
        assertThat(sim.log()).containsExactly("n2 snapshot", "n2 fence");
        assertThat(done.report().fencesHeld()).singleElement().satisfies(h -> assertThat(h.node()).isEqualTo("n2"));
        assertThat(node(done, "n2").phases()).last().satisfies(p -> assertThat(p.detail())
                .startsWith("upgrade on n2: cannot connect to node n2").containsOnlyOnce("check that sshd runs"));
        Invariants.check(sim, 1, done.report());
        sim.node("n2").start();
    }

    @Test
    void hangingCommandIsKilledAtItsTimeoutAndCountsAsAFailure() throws Exception {
        sim.write("n2", "hang-upgrade", "");
        Instant start = Instant.now();

        StepOutcome.Finished done = run(sim.spec("onFailure: abort", ""));

        assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(20));
        assertThat(node(done, "n2").phases()).last().satisfies(p -> {
            assertThat(p.phase()).isEqualTo("upgrade");
            assertThat(p.outcome()).isEqualTo(PhaseOutcome.TIMED_OUT);
            assertThat(p.detail()).contains("timed out after PT2S");
        });
        assertThat(sim.read("n2", "version")).isEqualTo(SimCluster.FROM);
        Invariants.check(sim, 1, done.report());
    }

    @Test
    void verifyFailureOnTheVersionCheckStopsTheRun() throws Exception {
        // The upgrade "succeeds" but installs nothing: verify must notice the version is not the target.
        sim.write("n2", "noop-upgrade", "");

        StepOutcome.Finished done = run(sim.spec("onFailure: abort", ""));

        assertThat(done.stoppedAt()).contains("node:n2:verify").contains("n2/version").contains("runs 1.0, expected 2.0");
        assertThat(sim.log()).endsWith("n2 verify");
        assertThat(sim.log()).doesNotContain("n3 fence", "n1 fence");
        Invariants.check(sim, 1, done.report());
    }

    @Test
    void flappingHealthIsWaitedOutAndTheNextNodeIsOnlyTouchedWhenGreen() throws Exception {
        // 60 failed checks 50 ms apart stay red for at least 2.95 s, past the first wait report (a quarter of the
        // 10 s limit) however fast the machine, and well inside the limit however slow.
        sim.write("n3", "flap", "60");

        StepOutcome.Finished done = run(io.haupgrade.spec.SpecLoader.parse(
                sim.specYaml("", "").replace("timeout: 2s\n  node:", "timeout: 10s\n  node:"), "sim.yaml"));

        assertThat(done.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(sim.read("n3", "flap")).isEqualTo("0");
        List<RunEvent.GateAttempted> red = sim.events(RunEvent.GateAttempted.class).stream()
                .filter(g -> !g.result().healthy()).toList();
        assertThat(red).hasSizeGreaterThanOrEqualTo(60);
        // The wait says what it waits for, long before its limit.
        assertThat(sim.events(RunEvent.WaitingFor.class)).anySatisfy(w -> {
            assertThat(w.what()).contains("cluster health").contains("n3/service");
            assertThat(w.limit()).isEqualTo(Duration.ofSeconds(10));
        });
        assertThat(red.get(0).result().failed()).singleElement().satisfies(c -> {
            // per node and per check, with the last output
            assertThat(c.where()).isEqualTo("n3/service");
            assertThat(c.output()).contains("flapping");
        });
        Invariants.check(sim, 1, done.report());
    }

    @Test
    void redPreflightGateRefusesTheRunBeforeAnyNodeIsTouched() throws Exception {
        sim.write("n3", "unhealthy", "");

        StepOutcome.Finished done = run(sim.spec("", ""));

        assertThat(done.status()).isEqualTo(RunStatus.REFUSED);
        assertThat(done.stoppedAt()).contains("preflight").contains("n3/service");
        assertThat(sim.log()).isEmpty();
    }

    @Test
    void mixedVersionsForLongerThanTheWindowStopTheRolloutBeforeTheNextNode() throws Exception {
        StepOutcome.Finished done = run(sim.spec("onFailure: abort", "compatibility:\n  maxMixedWindow: 100ms\n"));

        assertThat(done.status()).isEqualTo(RunStatus.FAILED);
        assertThat(done.stoppedAt()).contains("maxMixedWindow");
        assertThat(sim.log("n1")).isEmpty();
        assertThat(sim.read("n2", "version")).isEqualTo(SimCluster.TARGET);
        Invariants.check(sim, 1, done.report());
    }
}
