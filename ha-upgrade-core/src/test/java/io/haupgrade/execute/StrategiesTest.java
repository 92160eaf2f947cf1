package io.haupgrade.execute;

import static org.assertj.core.api.Assertions.assertThat;

import io.haupgrade.embedded.EmbeddedSshNode;
import io.haupgrade.embedded.VersionedHttpService;
import io.haupgrade.embedded.VirtualEndpoint;
import io.haupgrade.execute.ApprovalDecision.Answer;
import io.haupgrade.journal.Journal;
import io.haupgrade.plan.StepKind;
import io.haupgrade.report.Decision;
import io.haupgrade.report.NodeOutcome;
import io.haupgrade.spec.ClusterSpec;
import io.haupgrade.spec.Phase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every strategy but rolling (see {@link RolloutTest}) run end to end on a simulated cluster: what reached each node,
 * in which order, around which approvals, and the shared {@link Invariants}.
 */
@Timeout(60)
class StrategiesTest {
    @TempDir
    Path tmp;
    SimCluster sim;
    final List<AutoCloseable> closeAfter = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (int i = closeAfter.size() - 1; i >= 0; i--) {
            closeAfter.get(i).close();
        }
        if (sim != null) {
            sim.close();
        }
    }

    private StepOutcome.Finished run(ClusterSpec spec, Approver approver) throws Exception {
        try (Rollout rollout = Rollout.start(sim.request(spec, tmp.resolve("run")), sim.context(spec))) {
            return new RolloutRunner(rollout, approver, Clock.systemUTC()).run();
        }
    }

    /** An approver that answers every request with {@code answer} in the name of {@code who} and keeps the requests. */
    private static Approver person(String who, Answer answer, List<ApprovalRequest> asked) {
        return request -> {
            asked.add(request);
            return Optional.of(ApprovalDecision.of(request.id(), answer, who, Instant.now(), who + " looked at it"));
        };
    }

    /** Index of the first event matching {@code p}; fails when there is none. */
    private int indexOf(Predicate<RunEvent> p, String what) {
        for (int i = 0; i < sim.events.size(); i++) {
            if (p.test(sim.events.get(i))) {
                return i;
            }
        }
        throw new AssertionError("no event: " + what);
    }

    private static final String ROLE_MOVE = "echo BACKUP > role; echo MASTER > ../${peer.name}/role";

    private static String failback() {
        return "  failback: " + SimCluster.command("failback", ROLE_MOVE, true) + "\n";
    }

    // -----------------------------------------------------------------------------------------------------------
    // active-passive

    @Test
    void activePassiveUpgradesTheBackupAsksSwitchesOverUpgradesTheOldMasterAndFailsBackToIt() throws Exception {
        sim = SimCluster.start(tmp.resolve("nodes"), 2);
        ClusterSpec spec = sim.spec("strategy: active-passive\nfailback: true\napprovals:\n  at: [before-switchover]\n",
                "", failback());
        List<ApprovalRequest> asked = new CopyOnWriteArrayList<>();

        StepOutcome.Finished done = run(spec, person("carol", Answer.PROCEED, asked));

        assertThat(done.status()).as(done.stoppedAt()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(sim.log()).containsExactly("n2 snapshot", "n2 fence", "n2 upgrade", "n2 verify", "n2 unfence",
                "n1 switchover", "n1 snapshot", "n1 fence", "n1 upgrade", "n1 verify", "n1 unfence",
                // the failback runs on the current primary (self) and hands the role to ${peer}, the original primary
                "n2 failback n1");
        assertThat(sim.read("n1", "role")).isEqualTo("MASTER");
        assertThat(sim.read("n2", "role")).isEqualTo("BACKUP");
        assertThat(sim.read("n1", "version")).isEqualTo(SimCluster.TARGET);
        // The approval came after the backup was back in service and before the switchover command.
        int approved = indexOf(e -> e instanceof RunEvent.ApprovalDecided, "approval decided");
        assertThat(indexOf(e -> SimCluster.command(e, RunEvent.CommandFinished.class, "n2", "unfence"), "n2 unfence"))
                .isLessThan(indexOf(e -> e instanceof RunEvent.ApprovalRequested, "approval requested"));
        assertThat(approved).isLessThan(indexOf(e -> SimCluster.command(e, RunEvent.CommandStarted.class, "n1",
                "switchover"), "n1 switchover"));
        assertThat(asked).singleElement().satisfies(r -> {
            assertThat(r.point()).isEqualTo("before-switchover");
            assertThat(r.evidence().versions()).containsEntry("n2", SimCluster.TARGET).containsEntry("n1", SimCluster.FROM);
            assertThat(r.evidence().fenced()).isEmpty();
        });
        assertThat(sim.events(RunEvent.StepStarted.class)).filteredOn(s -> s.step().kind() == StepKind.FAILBACK)
                .singleElement().satisfies(s -> {
                    assertThat(s.step().id()).isEqualTo("failback:n2->n1");
                    assertThat(s.step().nodes()).containsExactly("n2", "n1");
                });
        assertThat(done.report().approvals()).singleElement().satisfies(a -> {
            assertThat(a.decision()).isEqualTo(Decision.APPROVED);
            assertThat(a.by()).isEqualTo("carol");
            assertThat(a.point()).isEqualTo("before-switchover");
        });
        assertThat(done.report().nodes()).extracting(n -> n.outcome()).containsOnly(NodeOutcome.UPGRADED);
        Invariants.check(sim, 1, done.report());
    }

    @Test
    void activePassiveWhoseSwitchoverIsRejectedStopsBeforeItWithNothingFencedAndNamesWhoRejected() throws Exception {
        sim = SimCluster.start(tmp.resolve("nodes"), 2);
        ClusterSpec spec = sim.spec("strategy: active-passive\nfailback: true\napprovals:\n  at: [before-switchover]\n",
                "", failback());
        List<ApprovalRequest> asked = new CopyOnWriteArrayList<>();

        StepOutcome.Finished done = run(spec, person("dave", Answer.ABORT, asked));

        assertThat(done.status()).isEqualTo(RunStatus.ABORTED);
        assertThat(done.stoppedAt()).contains("aborted by dave").contains("before-switchover");
        assertThat(sim.events(RunEvent.RunFinished.class)).singleElement().satisfies(f -> assertThat(f.summary())
                .startsWith("aborted by dave at approval 'before-switchover'").doesNotContain("aborted at"));
        assertThat(sim.log()).containsExactly("n2 snapshot", "n2 fence", "n2 upgrade", "n2 verify", "n2 unfence");
        assertThat(sim.read("n1", "role")).isEqualTo("MASTER");
        assertThat(sim.nodes()).allSatisfy(n -> assertThat(n.dir().resolve("fence")).doesNotExist());
        assertThat(done.report().fencesHeld()).isEmpty();
        assertThat(done.report().approvals()).singleElement().satisfies(a -> {
            assertThat(a.decision()).isEqualTo(Decision.REJECTED);
            assertThat(a.by()).isEqualTo("dave");
        });
        assertThat(sim.nodes()).allSatisfy(n -> assertThat(n.dir().resolve(".ha-upgrade/locks/sim")).doesNotExist());
        Invariants.check(sim, 1, done.report());
    }

    // -----------------------------------------------------------------------------------------------------------
    // canary

    @Test
    void canaryUpgradesOneStandbyAloneAsksWithEvidenceThenTheRestInBatchesAndThePrimaryLast() throws Exception {
        sim = SimCluster.start(tmp.resolve("nodes"), 4);
        ClusterSpec spec = sim.spec("strategy: canary\nmaxUnavailable: 2\napprovals:\n  at: [after-first-node]\n", "");
        List<ApprovalRequest> asked = new CopyOnWriteArrayList<>();

        StepOutcome.Finished done = run(spec, person("carol", Answer.PROCEED, asked));

        assertThat(done.status()).as(done.stoppedAt()).isEqualTo(RunStatus.SUCCEEDED);
        List<String> fenced = Invariants.fenceOrder(sim);
        assertThat(fenced.get(0)).isEqualTo("n2");
        assertThat(fenced.subList(1, 3)).containsExactlyInAnyOrder("n3", "n4");
        assertThat(fenced.get(3)).isEqualTo("n1");
        assertThat(sim.events(RunEvent.StepStarted.class)).filteredOn(s -> s.step().phase() == Phase.UPGRADE)
                .extracting(s -> s.step().nodes()).containsExactly(List.of("n2"), List.of("n3", "n4"), List.of("n1"));
        assertThat(sim.log()).containsSubsequence("n2 unfence", "n3 fence")
                .containsSubsequence("n4 unfence", "n1 switchover", "n1 fence");
        // The canary question: after n2 is back and the gate after it is green, before n3 or n4 is touched.
        assertThat(indexOf(e -> e instanceof RunEvent.GateFinished g && g.stepId().equals("gate:after:n2"), "gate"))
                .isLessThan(indexOf(e -> e instanceof RunEvent.ApprovalRequested, "approval requested"));
        assertThat(indexOf(e -> e instanceof RunEvent.ApprovalDecided, "approval decided"))
                .isLessThan(indexOf(e -> e instanceof RunEvent.CommandStarted c && !c.node().equals("n2")
                        && !c.phase().equals("discovery"), "first command on another node"));
        assertThat(asked).singleElement().satisfies(r -> {
            assertThat(r.point()).isEqualTo("after-first-node");
            assertThat(r.message()).contains("n2");
            assertThat(r.evidence().lastGate()).isNotNull();
            assertThat(r.evidence().lastGate().healthy()).isTrue();
            assertThat(r.evidence().lastGate().byNode()).containsKeys("n1", "n2", "n3", "n4");
            assertThat(r.evidence().versions()).containsEntry("n2", SimCluster.TARGET)
                    .containsEntry("n3", SimCluster.FROM).containsEntry("n4", SimCluster.FROM)
                    .containsEntry("n1", SimCluster.FROM);
        });
        assertThat(done.report().approvals()).singleElement().satisfies(a -> assertThat(a.by()).isEqualTo("carol"));
        assertThat(sim.nodes()).allSatisfy(n -> assertThat(sim.read(n.name(), "version")).isEqualTo(SimCluster.TARGET));
        Invariants.check(sim, 2, done.report());
    }

    // -----------------------------------------------------------------------------------------------------------
    // replace

    @Test
    void replaceJoinsTheNewNodesMovesTheLeadershipAndRemovesTheOldOnesWithTheOldPrimaryLast() throws Exception {
        sim = SimCluster.start(tmp.resolve("nodes"), 3, 2);
        Files.writeString(sim.node("n1").dir().resolveSibling("members"), "n1\nn2\nn3\n");
        // The join also notes whether the run holds the lock on the incoming node (its own directory).
        String phases = "  join: " + SimCluster.command("join", "echo ${node.name} >> ../members; "
                + "if [ -d .ha-upgrade/locks/sim ]; then echo locked; else echo unlocked; fi > lock-at-join", false) + "\n"
                + "  leave: " + SimCluster.command("leave",
                        "grep -vx ${node.name} ../members > ../members.tmp; mv ../members.tmp ../members", false) + "\n";
        // The switchover logs where the role goes: "n1 switchover n4".
        ClusterSpec spec = SimCluster.parse(sim.specYaml("strategy: replace\nquorum: true\n", "", phases)
                .replaceAll("(?m)^  switchover: .*$", java.util.regex.Matcher.quoteReplacement("  switchover: "
                        + SimCluster.command("switchover", ROLE_MOVE, true))));

        StepOutcome.Finished done = run(spec, Approvers.refuseAll("nobody", Clock.systemUTC()));

        assertThat(done.status()).as(done.stoppedAt()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(sim.log()).containsExactly("n4 join", "n4 verify", "n5 join", "n5 verify", "n1 switchover n4",
                "n2 leave", "n3 leave", "n1 leave");
        assertThat(Files.readAllLines(sim.node("n1").dir().resolveSibling("members"))).containsExactly("n4", "n5");
        assertThat(sim.read("n4", "role")).isEqualTo("MASTER");
        assertThat(sim.read("n1", "role")).isEqualTo("BACKUP");
        // The incoming nodes were locked like the members, and released with them.
        assertThat(sim.read("n4", "lock-at-join")).isEqualTo("locked");
        assertThat(sim.read("n5", "lock-at-join")).isEqualTo("locked");
        assertThat(sim.nodes()).allSatisfy(n -> assertThat(n.dir().resolve(".ha-upgrade/locks/sim")).doesNotExist());
        assertThat(sim.nodes()).allSatisfy(n -> assertThat(sim.read(n.name(), "version")).isEqualTo(
                sim.isIncoming(n.name()) ? SimCluster.TARGET : SimCluster.FROM));
        quorumHeldAtEveryStep(List.of("n1", "n2", "n3"));
        // Planned again before each node: a join already done is skipped, never run twice.
        List<RunEvent> journal = Journal.read(tmp.resolve("run").resolve(Rollout.JOURNAL), RunEvent.class);
        assertThat(journal).filteredOn(e -> e instanceof RunEvent.StepStarted s && s.step().phase() == Phase.JOIN)
                .extracting(e -> ((RunEvent.StepStarted) e).step().id()).containsExactly("node:n4:join", "node:n5:join");
        assertThat(sim.events(RunEvent.Planned.class)).hasSizeGreaterThan(1);
        Invariants.check(sim, 1, done.report());
    }

    /**
     * Walks the nodes' log with the membership each line leaves behind: a joined node counts as down until its
     * verify, a node that left is gone, and the primary is never a node outside the cluster. A strict majority of
     * the members is up after every line.
     */
    private void quorumHeldAtEveryStep(List<String> initialMembers) {
        Set<String> members = new LinkedHashSet<>(initialMembers);
        Set<String> down = new LinkedHashSet<>();
        String primary = "n1";
        for (String line : sim.log()) {
            String[] p = line.split(" ");
            switch (p[1]) {
                case "join" -> {
                    members.add(p[0]);
                    down.add(p[0]);
                }
                case "verify" -> down.remove(p[0]);
                case "leave" -> {
                    assertThat(p[0]).as("the primary leaves only after the role moved: %s", line).isNotEqualTo(primary);
                    members.remove(p[0]);
                }
                case "switchover" -> primary = p[2];
                default -> { }
            }
            long up = members.stream().filter(n -> !down.contains(n)).count();
            assertThat(up * 2).as("majority up after '%s': members %s, down %s", line, members, down)
                    .isGreaterThan(members.size());
            assertThat(members).as("primary is a member after '%s'", line).contains(primary);
        }
    }

    // -----------------------------------------------------------------------------------------------------------
    // full-stop

    @Test
    void fullStopTakesEveryNodeDownUpgradesThePrimaryFirstAndTheProbeSeesTheDowntimeWindow() throws Exception {
        sim = SimCluster.start(tmp.resolve("nodes"), 3);
        List<VersionedHttpService> services = new ArrayList<>();
        for (EmbeddedSshNode node : sim.nodes()) {
            Files.createDirectories(node.dir().resolve("app"));
            services.add(VersionedHttpService.start(node.name(), node.dir()));
            closeAfter.add(services.get(services.size() - 1));
        }
        VirtualEndpoint vip = VirtualEndpoint.following(services);
        closeAfter.add(vip);
        String phases = "  stop: " + SimCluster.command("stop", "echo stopped > app/state", false) + "\n"
                + "  start: " + SimCluster.command("start", "echo running > app/state", false) + "\n";
        ClusterSpec spec = SimCluster.parse(sim.specYaml("strategy: full-stop\n",
                "probe:\n  url: " + vip.url() + "\n  interval: 20ms\n  timeout: 200ms\n", phases));

        StepOutcome.Finished done = run(spec, Approvers.refuseAll("nobody", Clock.systemUTC()));

        assertThat(done.status()).as(done.stoppedAt()).isEqualTo(RunStatus.SUCCEEDED);
        List<String> log = sim.log();
        List<String> phaseOrder = log.stream().map(l -> l.split(" ")[1]).distinct().toList();
        assertThat(phaseOrder).containsExactly("snapshot", "fence", "stop", "upgrade", "start", "verify", "unfence");
        for (String phase : List.of("snapshot", "fence", "stop", "start", "verify", "unfence")) {
            assertThat(log.stream().filter(l -> l.endsWith(" " + phase)).map(l -> l.split(" ")[0]))
                    .as(phase).containsExactlyInAnyOrder("n1", "n2", "n3");
        }
        // Every node is down before the first upgrade; the primary is upgraded (and started) before the others.
        assertThat(log.indexOf("n1 upgrade")).isGreaterThan(log.lastIndexOf(log.stream()
                .filter(l -> l.endsWith(" stop")).reduce((a, b) -> b).orElseThrow()));
        assertThat(log.indexOf("n1 upgrade")).isLessThan(Math.min(log.indexOf("n2 upgrade"), log.indexOf("n3 upgrade")));
        assertThat(log.indexOf("n1 start")).isLessThan(Math.min(log.indexOf("n2 start"), log.indexOf("n3 start")));
        assertThat(sim.nodes()).allSatisfy(n -> assertThat(sim.read(n.name(), "version")).isEqualTo(SimCluster.TARGET));
        // The probe saw the service down, during the stop/upgrade/start window and only then.
        var probe = done.report().probe();
        assertThat(probe).isNotNull();
        assertThat(probe.totalDowntime()).isGreaterThan(Duration.ZERO);
        assertThat(probe.outages()).isNotEmpty().allSatisfy(o -> assertThat(o.activities().toString())
                .containsAnyOf("stop", "upgrade", "start"));
        // The report states the plan's bound on the downtime next to what the probe measured.
        assertThat(done.report().expectedDowntime()).isEqualTo(sim.events(RunEvent.Planned.class).get(0)
                .expectedDowntime()).isGreaterThan(probe.totalDowntime());
        assertThat(Files.readString(tmp.resolve("run").resolve("report.json"))).contains("\"expectedDowntime\"");
        assertThat(Files.readString(tmp.resolve("run").resolve("report.html"))).contains("Planned downtime");
        Invariants.check(sim, 3, done.report());
    }

    @Test
    void fullStopThatFailsOnThePrimaryStartsTheNodesItHadNotUpgradedBeforeUnfencingThem() throws Exception {
        sim = SimCluster.start(tmp.resolve("nodes"), 3);
        for (EmbeddedSshNode node : sim.nodes()) {
            Files.createDirectories(node.dir().resolve("app"));
        }
        sim.write("n1", "fail-upgrade", "");
        String phases = "  stop: " + SimCluster.command("stop", "echo stopped > app/state", false) + "\n"
                + "  start: " + SimCluster.command("start", "echo running > app/state", false) + "\n";
        ClusterSpec spec = sim.spec("strategy: full-stop\nonFailure: abort\n", "", phases);

        StepOutcome.Finished done = run(spec, Approvers.refuseAll("nobody", Clock.systemUTC()));

        assertThat(done.status()).isEqualTo(RunStatus.FAILED);
        assertThat(done.stoppedAt()).contains("node:n1:upgrade");
        // n2 and n3 were stopped but never upgraded: their service is started again, then they are unfenced.
        for (String n : List.of("n2", "n3")) {
            assertThat(sim.log(n)).containsExactly("snapshot", "fence", "stop", "start", "unfence");
            assertThat(sim.read(n, "app/state")).isEqualTo("running");
            assertThat(sim.read(n, "fence")).isNull();
        }
        assertThat(sim.log("n1")).containsExactly("snapshot", "fence", "stop", "upgrade");
        assertThat(done.report().fencesHeld()).singleElement().satisfies(h -> assertThat(h.node()).isEqualTo("n1"));
        Invariants.check(sim, 3, done.report());
    }

    /** Runs until the hook throws {@link ResumeAndControlTest.Death}, then resumes in a fresh rollout to the end. */
    private StepOutcome.Finished dieThenResume(ClusterSpec spec, Approver approver) throws Exception {
        Path runDir = tmp.resolve("run");
        Rollout rollout = Rollout.start(sim.request(spec, runDir), sim.context(spec));
        try {
            new RolloutRunner(rollout, approver, Clock.systemUTC()).run();
            throw new AssertionError("the run was expected to die");
        } catch (ResumeAndControlTest.Death expected) {
            // the process "died" here
        } finally {
            rollout.close();
        }
        sim.hook = RunListener.NONE;
        try (Rollout resumed = Rollout.resume(runDir, spec, sim.context(spec), "alice", null, null, false)) {
            return new RolloutRunner(resumed, approver, Clock.systemUTC()).run();
        }
    }

    @Test
    void activePassiveKilledRightAfterTheFailbackCommandIsResumedWithoutFailingBackTwice() throws Exception {
        sim = SimCluster.start(tmp.resolve("nodes"), 2);
        ClusterSpec spec = sim.spec("strategy: active-passive\nfailback: true\napprovals:\n  at: [before-switchover]\n",
                "", failback());
        sim.hook = e -> {
            if (SimCluster.command(e, RunEvent.CommandFinished.class, "n2", "failback")) {
                throw new ResumeAndControlTest.Death();
            }
        };

        StepOutcome.Finished done = dieThenResume(spec, person("carol", Answer.PROCEED, new CopyOnWriteArrayList<>()));

        assertThat(done.status()).as(done.stoppedAt()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(sim.log()).containsOnlyOnce("n2 failback n1").containsOnlyOnce("n1 switchover").last()
                .isEqualTo("n2 failback n1");
        assertThat(sim.read("n1", "role")).isEqualTo("MASTER");
        assertThat(Journal.read(tmp.resolve("run").resolve(Rollout.JOURNAL), RunEvent.class))
                .filteredOn(e -> e instanceof RunEvent.StepFinished f && f.stepId().equals("failback:n2->n1"))
                .singleElement().satisfies(e -> assertThat(((RunEvent.StepFinished) e).status())
                        .isEqualTo(StepStatus.ALREADY_DONE));
        Invariants.check(sim, 1, done.report());
    }

    @Test
    void replaceKilledAfterTheSwitchoverIsResumedWithoutJoiningAgainAndTheOldPrimaryStillLeavesLast() throws Exception {
        sim = SimCluster.start(tmp.resolve("nodes"), 3, 2);
        Files.writeString(sim.node("n1").dir().resolveSibling("members"), "n1\nn2\nn3\n");
        String phases = "  join: " + SimCluster.command("join", "echo ${node.name} >> ../members", false) + "\n"
                + "  leave: " + SimCluster.command("leave",
                        "grep -vx ${node.name} ../members > ../members.tmp; mv ../members.tmp ../members", false) + "\n";
        ClusterSpec spec = sim.spec("strategy: replace\nquorum: true\n", "", phases);
        sim.hook = e -> {
            if (SimCluster.command(e, RunEvent.CommandFinished.class, "n2", "leave")) {
                throw new ResumeAndControlTest.Death();
            }
        };

        // The leave died unrecorded and is not marked idempotent: a person checks n2 and answers that it did complete.
        List<ApprovalRequest> asked = new CopyOnWriteArrayList<>();
        StepOutcome.Finished done = dieThenResume(spec, request -> {
            asked.add(request);
            return Optional.of(ApprovalDecision.of(request.id(), Answer.SKIP, "bob", Instant.now(), "n2 has left"));
        });

        assertThat(done.status()).as(done.stoppedAt()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(asked).singleElement().satisfies(r -> assertThat(r.message())
                .contains("node:n2:leave started but did not finish"));
        assertThat(sim.log()).containsExactly("n4 join", "n4 verify", "n5 join", "n5 verify", "n1 switchover",
                "n2 leave", "n3 leave", "n1 leave");
        assertThat(Files.readAllLines(sim.node("n1").dir().resolveSibling("members"))).containsExactly("n4", "n5");
        Invariants.check(sim, 1, done.report());
    }
}
