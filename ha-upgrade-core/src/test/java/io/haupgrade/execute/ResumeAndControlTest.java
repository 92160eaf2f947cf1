package io.haupgrade.execute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haupgrade.execute.ApprovalDecision.Answer;
import io.haupgrade.journal.Journal;
import io.haupgrade.lock.ClusterLock;
import io.haupgrade.report.Decision;
import io.haupgrade.report.HtmlReport;
import io.haupgrade.report.NodeOutcome;
import io.haupgrade.spec.ClusterSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Resume after a death mid-phase, the lock, approvals, cancellation and roles that change under the run. */
@Timeout(60)
class ResumeAndControlTest {
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

    /** Thrown from the listener to stop the run dead at an exact point, as a killed JVM would. */
    static final class Death extends Error {
        Death() {
            super("simulated death of the process");
        }
    }

    private StepOutcome.Finished resumeToTheEnd(ClusterSpec spec, Path runDir) throws Exception {
        sim.hook = RunListener.NONE;
        try (Rollout resumed = Rollout.resume(runDir, spec, sim.context(spec), "alice", null, null, false)) {
            return new RolloutRunner(resumed, Approvers.refuseAll("nobody", Clock.systemUTC()), Clock.systemUTC()).run();
        }
    }

    /** Runs until the hook kills it; the dead rollout's threads and sessions are freed, its lock stays on the nodes. */
    private void runUntilDeath(ClusterSpec spec, Path runDir) throws Exception {
        Rollout rollout = Rollout.start(sim.request(spec, runDir), sim.context(spec));
        try {
            assertThatThrownBy(() -> new RolloutRunner(rollout, Approvers.refuseAll("x", Clock.systemUTC()),
                    Clock.systemUTC()).run()).isInstanceOf(Death.class);
        } finally {
            rollout.close();
        }
    }

    @Test
    void aRunThatFailedAndLeftANodeFencedIsResumedFromTheFailedStepOnceTheNodeIsRepaired() throws Exception {
        // The upgrade fails and so does its rollback: n3 is left fenced.
        ClusterSpec spec = sim.spec("onFailure: rollback", "");
        Path runDir = tmp.resolve("failed");
        sim.write("n3", "fail-upgrade", "");
        sim.write("n3", "fail-rollback", "");
        StepOutcome.Finished failed;
        try (Rollout rollout = Rollout.start(sim.request(spec, runDir), sim.context(spec))) {
            failed = new RolloutRunner(rollout, Approvers.refuseAll("x", Clock.systemUTC()), Clock.systemUTC()).run();
        }
        assertThat(failed.status()).isEqualTo(RunStatus.FAILED);
        assertThat(failed.report().fencesHeld()).extracting(h -> h.node()).containsExactly("n3");
        assertThat(sim.node("n1").dir().resolve(".ha-upgrade/locks/sim")).doesNotExist();

        // A person repairs n3; the run goes on from the step it failed at, with the same run id and lock.
        Files.delete(sim.node("n3").dir().resolve("fail-upgrade"));
        Files.delete(sim.node("n3").dir().resolve("fail-rollback"));
        int before = sim.log().size();
        StepOutcome.Finished done = resumeToTheEnd(spec, runDir);

        assertThat(done.status()).as(done.stoppedAt()).isEqualTo(RunStatus.SUCCEEDED);
        // The failed upgrade is checked (n3 is not at the target) and run again; the failed rollback is not; nothing
        // done before is repeated.
        assertThat(sim.log().subList(before, sim.log().size())).containsExactly("n3 upgrade", "n3 verify",
                "n3 unfence", "n1 switchover", "n1 snapshot", "n1 fence", "n1 upgrade", "n1 verify", "n1 unfence");
        assertThat(sim.read("n3", "version")).isEqualTo(SimCluster.TARGET);
        assertThat(done.report().fencesHeld()).isEmpty();
        assertThat(done.report().runId()).isEqualTo(failed.report().runId());
        List<RunEvent> journal = Journal.read(runDir.resolve(Rollout.JOURNAL), RunEvent.class);
        assertThat(journal).filteredOn(RunEvent.RunFinished.class::isInstance).extracting(e -> ((RunEvent.RunFinished) e)
                .status()).containsExactly(RunStatus.FAILED, RunStatus.SUCCEEDED);
        Invariants.check(sim, 1, done.report());

        // Over now: resuming again changes nothing and returns the outcome.
        try (Rollout again = Rollout.resume(runDir, spec, sim.context(spec), "alice", null, null, false)) {
            assertThat(again.next()).isInstanceOf(StepOutcome.Finished.class)
                    .extracting(o -> ((StepOutcome.Finished) o).status()).isEqualTo(RunStatus.SUCCEEDED);
        }
        assertThat(sim.log()).hasSize(before + 9);
    }

    @Test
    void deathAfterTheUpgradeRanButBeforeItWasRecordedIsResumedWithoutUpgradingAgain() throws Exception {
        ClusterSpec spec = sim.spec("", "");
        Path runDir = tmp.resolve("run");
        sim.hook = e -> {
            if (SimCluster.command(e, RunEvent.CommandFinished.class, "n2", "upgrade")) {
                throw new Death();
            }
        };
        runUntilDeath(spec, runDir);
        assertThat(sim.read("n2", "version")).isEqualTo(SimCluster.TARGET);
        assertThat(sim.node("n1").dir().resolve(".ha-upgrade/locks/sim/owner")).exists();

        StepOutcome.Finished done = resumeToTheEnd(spec, runDir);

        assertThat(done.status()).as(done.stoppedAt()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(sim.log("n2")).containsExactly("snapshot", "fence", "upgrade", "verify", "unfence");
        assertThat(Invariants.fenceOrder(sim)).containsExactly("n2", "n3", "n1");
        List<RunEvent> journal = Journal.read(runDir.resolve(Rollout.JOURNAL), RunEvent.class);
        assertThat(journal).filteredOn(e -> e instanceof RunEvent.StepFinished f && f.stepId().equals("node:n2:upgrade"))
                .singleElement().satisfies(e -> assertThat(((RunEvent.StepFinished) e).status())
                        .isEqualTo(StepStatus.ALREADY_DONE));
        assertThat(done.report().nodes()).extracting(n -> n.outcome()).containsOnly(NodeOutcome.UPGRADED);
        Invariants.check(sim, 1, done.report());
        assertThat(sim.node("n1").dir().resolve(".ha-upgrade/locks/sim")).doesNotExist();
    }

    @Test
    void deathBeforeTheUpgradeReachedTheNodeIsResumedByUpgradingOnce() throws Exception {
        ClusterSpec spec = sim.spec("", "");
        Path runDir = tmp.resolve("run");
        sim.hook = e -> {
            if (SimCluster.command(e, RunEvent.CommandStarted.class, "n3", "upgrade")) {
                throw new Death();
            }
        };
        runUntilDeath(spec, runDir);
        assertThat(sim.log("n3")).containsExactly("snapshot", "fence");

        StepOutcome.Finished done = resumeToTheEnd(spec, runDir);

        assertThat(done.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(sim.log("n3")).containsExactly("snapshot", "fence", "upgrade", "verify", "unfence");
        assertThat(sim.log("n2")).containsExactly("snapshot", "fence", "upgrade", "verify", "unfence");
        Invariants.check(sim, 1, done.report());
    }

    @Test
    void deathInAStepWhoseOutcomeCannotBeCheckedIsPutToAPerson() throws Exception {
        ClusterSpec spec = sim.spec("", "");
        Path runDir = tmp.resolve("run");
        sim.hook = e -> {
            if (SimCluster.command(e, RunEvent.CommandStarted.class, "n2", "fence")) {
                throw new Death();
            }
        };
        runUntilDeath(spec, runDir);
        sim.hook = RunListener.NONE;
        try (Rollout resumed = Rollout.resume(runDir, spec, sim.context(spec), "alice", null, null, false)) {
            StepOutcome outcome = resumed.next();
            assertThat(outcome).isInstanceOf(StepOutcome.AwaitingApproval.class);
            ApprovalRequest request = ((StepOutcome.AwaitingApproval) outcome).request();
            assertThat(request.message()).contains("node:n2:fence started but did not finish").contains("unknown");
            resumed.decide(ApprovalDecision.of(request.id(), Answer.RETRY, "bob", Instant.now(), "checked n2"));
            StepOutcome.Finished done = new RolloutRunner(resumed, Approvers.refuseAll("x", Clock.systemUTC()),
                    Clock.systemUTC()).run();
            assertThat(done.status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(sim.log("n2")).containsExactly("snapshot", "fence", "upgrade", "verify", "unfence");
        }
    }

    @Test
    void secondRunIsRefusedByTheLockNamingTheHolderAndBreakLockTakesIt() throws Exception {
        ClusterSpec spec = sim.spec("", "");
        try (NodeSessions other = sim.sessions(spec)) {
            ClusterLock held = new ClusterLock(ClusterLock.defaultPath("sim"), "carol", "run-other", "ops2",
                    Duration.ofHours(2), (node, cmd, t) -> other.session(node).exec(
                            io.haupgrade.ssh.RemoteCommand.of(cmd, t), io.haupgrade.ssh.OutputListener.NONE),
                    Clock.systemUTC(), java.util.concurrent.ForkJoinPool.commonPool());
            held.acquire(List.of("n1", "n2", "n3"), false);

            StepOutcome.Finished refused;
            try (Rollout rollout = Rollout.start(sim.request(spec, tmp.resolve("run1")), sim.context(spec))) {
                refused = (StepOutcome.Finished) rollout.next();
            }
            assertThat(refused.status()).isEqualTo(RunStatus.REFUSED);
            assertThat(refused.stoppedAt()).contains("carol@ops2 (run run-other").contains("--break-lock");
            assertThat(sim.log()).isEmpty();
            assertThat(sim.read("n2", ".ha-upgrade/locks/sim/owner")).contains("run=run-other");

            StepOutcome.Finished broken;
            try (Rollout rollout = Rollout.start(sim.request(spec, tmp.resolve("run2"), true), sim.context(spec))) {
                broken = new RolloutRunner(rollout, Approvers.refuseAll("x", Clock.systemUTC()), Clock.systemUTC()).run();
            }
            assertThat(broken.status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(broken.report().warnings()).anySatisfy(w -> assertThat(w).contains("took over the cluster lock")
                    .contains("carol@ops2"));
        }
    }

    @Test
    void primaryThatMovesDuringTheRunIsStillTheLastNodeTouched() throws Exception {
        ClusterSpec spec = sim.spec("", "");
        // After n2 is done, the cluster fails over by itself: n3 becomes primary.
        sim.hook = e -> {
            if (e instanceof RunEvent.FenceChanged f && f.node().equals("n2") && !f.fenced()) {
                sim.write("n1", "role", "BACKUP\n");
                sim.write("n3", "role", "MASTER\n");
            }
        };
        StepOutcome.Finished done;
        try (Rollout rollout = Rollout.start(sim.request(spec, tmp.resolve("run")), sim.context(spec))) {
            done = new RolloutRunner(rollout, Approvers.refuseAll("x", Clock.systemUTC()), Clock.systemUTC()).run();
        }

        assertThat(done.status()).as(done.stoppedAt()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(Invariants.fenceOrder(sim)).containsExactly("n2", "n1", "n3");
        assertThat(sim.log()).containsSubsequence("n1 unfence", "n3 switchover", "n3 fence");
        assertThat(sim.events(RunEvent.Planned.class)).anySatisfy(p -> assertThat(p.reason()).contains("n3=PRIMARY"));
        Invariants.check(sim, 1, done.report());
    }

    @Test
    void declaredAndDiscoveredRolesThatDisagreeRefuseTheRunUnlessTrusted() throws Exception {
        sim.write("n1", "role", "BACKUP\n");
        sim.write("n2", "role", "MASTER\n");
        StepOutcome.Finished refused;
        ClusterSpec spec = sim.spec("", "");
        try (Rollout rollout = Rollout.start(sim.request(spec, tmp.resolve("run1")), sim.context(spec))) {
            refused = (StepOutcome.Finished) rollout.next();
        }
        assertThat(refused.status()).isEqualTo(RunStatus.REFUSED);
        assertThat(refused.stoppedAt()).contains("n1 is declared primary but is standby").contains("trustDiscoveredRoles");
        assertThat(sim.log()).isEmpty();

        ClusterSpec trusting = sim.spec("trustDiscoveredRoles: true", "");
        StepOutcome.Finished done;
        try (Rollout rollout = Rollout.start(sim.request(trusting, tmp.resolve("run2")), sim.context(trusting))) {
            done = new RolloutRunner(rollout, Approvers.refuseAll("x", Clock.systemUTC()), Clock.systemUTC()).run();
        }
        assertThat(done.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(Invariants.fenceOrder(sim)).last().isEqualTo("n2");
    }

    @Test
    void approvalShowsEvidenceRequiresAnotherApproverAndIsResumedAcrossARestartWithoutAThread() throws Exception {
        ClusterSpec spec = sim.spec("approvals:\n  at: [before-switchover]\n  requireOtherApprover: true\n", "");
        Path runDir = tmp.resolve("run");
        ApprovalRequest request = sim.runUntilApproval(spec, runDir);
        assertThat(request.point()).isEqualTo("before-switchover");
        assertThat(request.message()).contains("n1");
        assertThat(request.evidence().versions()).containsEntry("n2", SimCluster.TARGET).containsEntry("n3", SimCluster.TARGET);
        assertThat(request.evidence().lastGate().healthy()).isTrue();
        assertThat(request.evidence().lastGate().byNode()).containsKeys("n1", "n2", "n3");
        assertThat(sim.log()).doesNotContain("n1 switchover");

        // A fresh process (the controller after a restart) finds the pending approval in the journal.
        try (Rollout resumed = Rollout.resume(runDir, spec, sim.context(spec), "alice", null, null, false)) {
            assertThat(resumed.pendingApproval()).map(ApprovalRequest::id).contains(request.id());
            assertThatThrownBy(() -> resumed.decide(ApprovalDecision.of(request.id(), Answer.PROCEED, "alice",
                    Instant.now(), null))).isInstanceOf(ApprovalRefusedException.class)
                    .hasMessageContaining("requires another approver");
            resumed.decide(ApprovalDecision.of(request.id(), Answer.PROCEED, "bob", Instant.now(), "looks good"));
            StepOutcome.Finished done = new RolloutRunner(resumed, Approvers.refuseAll("x", Clock.systemUTC()),
                    Clock.systemUTC()).run();
            assertThat(done.status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(done.report().approvals()).singleElement().satisfies(a -> {
                assertThat(a.decision()).isEqualTo(Decision.APPROVED);
                assertThat(a.by()).isEqualTo("bob");
                assertThat(a.decidedAt()).isNotNull();
            });
            Invariants.check(sim, 1, done.report());
        }
    }

    @Test
    void submittersAreMatchedByNameOrGroupAndADriverCanVouchForAnApproverItAdmittedOtherwise() throws Exception {
        ClusterSpec spec = sim.spec("approvals:\n  at: [before-switchover]\n  requireOtherApprover: true\n"
                + "  submitters: [alice, ops-leads]\n", "");
        Path runDir = tmp.resolve("run");
        ApprovalRequest request = sim.runUntilApproval(spec, runDir);
        try (Rollout resumed = Rollout.resume(runDir, spec, sim.context(spec), "carol", null, null, false)) {
            assertThatThrownBy(() -> resumed.decide(ApprovalDecision.of(request.id(), Answer.PROCEED, "Alice",
                    Instant.now(), null))).isInstanceOf(ApprovalRefusedException.class)
                    .hasMessageContaining("Alice may not approve").hasMessageContaining("[alice, ops-leads]");
            assertThatThrownBy(() -> resumed.decide(new ApprovalDecision(request.id(), Answer.PROCEED, "dave",
                    List.of("ops"), null, Instant.now(), null))).isInstanceOf(ApprovalRefusedException.class);
            // The driver's word does not lift the four-eyes rule.
            assertThatThrownBy(() -> resumed.decide(new ApprovalDecision(request.id(), Answer.PROCEED,
                    "alice", List.of(), "Jenkins administrator", Instant.now(), null)))
                    .isInstanceOf(ApprovalRefusedException.class).hasMessageContaining("requires another approver");
            assertThat(resumed.pendingApproval()).as("refusals leave the approval pending").isPresent();
            resumed.decide(new ApprovalDecision(request.id(), Answer.PROCEED, "root", List.of(), "Jenkins administrator",
                    Instant.now(), "on call"));
            StepOutcome.Finished done = new RolloutRunner(resumed, Approvers.refuseAll("x", Clock.systemUTC()),
                    Clock.systemUTC()).run();
            assertThat(done.status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(done.report().approvals()).singleElement().satisfies(a -> {
                assertThat(a.by()).isEqualTo("root");
                assertThat(a.admittedAs()).isEqualTo("Jenkins administrator");
                assertThat(a.approver()).isEqualTo("root (admitted as Jenkins administrator)");
            });
            assertThat(HtmlReport.render(done.report())).contains("root (admitted as Jenkins administrator)");
        }
    }

    @Test
    void aSubmitterGroupAdmitsItsMembers() throws Exception {
        ClusterSpec spec = sim.spec("approvals:\n  at: [before-switchover]\n  submitters: [alice, ops-leads]\n", "");
        Path runDir = tmp.resolve("run");
        ApprovalRequest asked = sim.runUntilApproval(spec, runDir);
        try (Rollout resumed = Rollout.resume(runDir, spec, sim.context(spec), "carol", null, null, false)) {
            resumed.decide(new ApprovalDecision(asked.id(), Answer.PROCEED, "erin", List.of("staff", "ops-leads"),
                    null, Instant.now(), null));
            StepOutcome.Finished done = new RolloutRunner(resumed, Approvers.refuseAll("x", Clock.systemUTC()),
                    Clock.systemUTC()).run();
            assertThat(done.status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(done.report().approvals()).singleElement()
                    .satisfies(a -> assertThat(a.approver()).isEqualTo("erin"));
        }
    }

    @Test
    void approvalTimeoutIsRecordedAsATimeoutNotAsAPersonsAbort() throws Exception {
        ClusterSpec spec = sim.spec("approvals:\n  at: [after-first-node]\n  timeout: 300ms\n", "");
        StepOutcome.Finished done;
        try (Rollout rollout = Rollout.start(sim.request(spec, tmp.resolve("run")), sim.context(spec))) {
            done = new RolloutRunner(rollout, request -> {
                Thread.sleep(5_000);
                return Optional.empty();
            }, Clock.systemUTC()).run();
        }
        assertThat(done.status()).isEqualTo(RunStatus.ABORTED);
        assertThat(done.stoppedAt()).contains("timed out");
        assertThat(done.report().approvals()).singleElement().satisfies(a -> {
            assertThat(a.decision()).isEqualTo(Decision.TIMED_OUT);
            assertThat(a.by()).isNull();
        });
        assertThat(done.report().fencesHeld()).isEmpty();
        assertThat(sim.log()).doesNotContain("n3 fence", "n1 fence");
        Invariants.check(sim, 1, done.report());
    }

    @Test
    void cancellationStopsAtASafePointUndoesTheFenceAndRecordsWhereItStopped() throws Exception {
        ClusterSpec spec = sim.spec("", "");
        Rollout[] holder = new Rollout[1];
        sim.hook = e -> {
            if (SimCluster.command(e, RunEvent.CommandFinished.class, "n3", "fence")) {
                holder[0].cancel("alice", "Ctrl-C");
            }
        };
        StepOutcome.Finished done;
        try (Rollout rollout = Rollout.start(sim.request(spec, tmp.resolve("run")), sim.context(spec))) {
            holder[0] = rollout;
            done = new RolloutRunner(rollout, Approvers.refuseAll("x", Clock.systemUTC()), Clock.systemUTC()).run();
        }
        assertThat(done.status()).isEqualTo(RunStatus.ABORTED);
        assertThat(done.stoppedAt()).contains("cancelled by alice: Ctrl-C").contains("(last step: node:n3:fence succeeded; next: node:n3:upgrade)");
        assertThat(sim.log("n3")).containsExactly("snapshot", "fence", "unfence");
        assertThat(sim.read("n3", "fence")).isNull();
        assertThat(sim.log("n1")).isEmpty();
        Invariants.check(sim, 1, done.report());
    }

    @Test
    void aJvmKilledMidUpgradeIsResumedFromItsJournalByAnotherProcess() throws Exception {
        sim.write("n2", "hang-upgrade", "");
        ClusterSpec spec = sim.spec("", "");
        Path specFile = tmp.resolve("sim.yaml");
        java.nio.file.Files.writeString(specFile, sim.specYaml("", "").replace("timeout: 2s\n", "timeout: 60s\n"));
        Path key = tmp.resolve("key");
        java.nio.file.Files.write(key, sim.clientKey());
        Path runDir = tmp.resolve("run");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), RolloutProcess.class.getName(), specFile.toString(),
                runDir.toString(), key.toString()).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("child.log").toFile()).start();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
            while (!sim.log("n2").contains("upgrade") && System.nanoTime() < deadline && child.isAlive()) {
                Thread.sleep(50);
            }
            assertThat(sim.log("n2")).as("child log: %s", java.nio.file.Files.readString(tmp.resolve("child.log")))
                    .containsExactly("snapshot", "fence", "upgrade");
        } finally {
            child.destroyForcibly().waitFor();
        }
        // kill -9 in the middle of the upgrade: the journal ends with the step started, the lock is still held.
        List<RunEvent> journal = Journal.read(runDir.resolve(Rollout.JOURNAL), RunEvent.class);
        assertThat(journal).last().isInstanceOf(RunEvent.CommandStarted.class);
        assertThat(sim.read("n1", ".ha-upgrade/locks/sim/owner")).contains("run=run-child");
        java.nio.file.Files.delete(sim.node("n2").dir().resolve("hang-upgrade"));

        StepOutcome.Finished done = resumeToTheEnd(spec, runDir);

        assertThat(done.status()).as(done.stoppedAt()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(sim.log("n2")).containsExactly("snapshot", "fence", "upgrade", "upgrade", "verify", "unfence");
        assertThat(done.report().runId()).isEqualTo("run-child");
        assertThat(done.report().warnings()).anySatisfy(w -> assertThat(w).contains("node:n2:upgrade started but did not finish"));
        assertThat(sim.node("n1").dir().resolve(".ha-upgrade/locks/sim")).doesNotExist();
        Invariants.check(sim, 1, done.report());
    }
}
