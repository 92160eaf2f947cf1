package io.haupgrade.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.haupgrade.spec.ApprovalPoint;
import io.haupgrade.spec.ClusterSpec;
import io.haupgrade.spec.CommandSpec;
import io.haupgrade.spec.NodeSpec;
import io.haupgrade.spec.Phase;
import io.haupgrade.spec.PhaseCommands;
import io.haupgrade.spec.Role;
import io.haupgrade.spec.Strategy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlannerTest {

    @Test
    void rollingPairUpgradesTheBackupThenSwitchesOverAndUpgradesTheMaster() throws PlanException {
        ClusterSpec spec = TestCluster.named("lb-prod").primary("lb1").standby("lb2").withUsualCommands()
                .commands(Phase.SWITCHOVER).hooks(true, true, false, false).build();

        Plan plan = Planner.plan(PlanRequest.of(spec));

        assertThat(plan.stepIds()).containsExactly(
                "gate:preflight", "hook:before-all",
                "node:lb2:fence", "node:lb2:upgrade", "node:lb2:verify", "node:lb2:unfence", "gate:after:lb2",
                "switchover:lb1->lb2",
                "node:lb1:fence", "node:lb1:upgrade", "node:lb1:verify", "node:lb1:unfence", "gate:after:lb1",
                "hook:after-all", "gate:final");
        assertThat(plan.strategy()).isEqualTo(Strategy.ROLLING);
        assertThat(plan.primary()).isEqualTo("lb1");
        assertThat(plan.expectedDowntime()).isNull();
        assertThat(plan.step("switchover:lb1->lb2").orElseThrow().nodes()).containsExactly("lb1", "lb2");
        assertThat(plan.step("hook:before-all").orElseThrow().hook()).isEqualTo(Hook.BEFORE_ALL);
        assertThat(plan.step("node:lb2:fence").orElseThrow().phase()).isEqualTo(Phase.FENCE);
        assertThat(plan.step("gate:after:lb2").orElseThrow().nodes()).containsExactly("lb2");
        assertThat(plan.steps()).extracting(PlanStep::index).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        assertThat(plan.mixedVersionWindow()).isEqualTo(new Plan.MixedVersionWindow("node:lb2:upgrade", "node:lb1:verify", null));
        assertThat(plan.notes()).contains("strategy rolling (policy.strategy)",
                "mixed versions serve from step 4 (node:lb2:upgrade) until step 11 (node:lb1:verify)");
    }

    @Test
    void nodeHooksRunAroundEachBatchInsideItsGates() throws PlanException {
        ClusterSpec spec = TestCluster.named("zstack").primary("mn1").standby("mn2").commands(Phase.UPGRADE)
                .hooks(true, true, true, true).build();

        assertThat(Planner.plan(PlanRequest.of(spec)).stepIds()).containsExactly("gate:preflight", "hook:before-all",
                "hook:before-node:mn2", "node:mn2:upgrade", "node:mn2:verify", "hook:after-node:mn2", "gate:after:mn2",
                "switchover:mn1->mn2",
                "hook:before-node:mn1", "node:mn1:upgrade", "node:mn1:verify", "hook:after-node:mn1", "gate:after:mn1",
                "hook:after-all", "gate:final");
    }

    @Test
    void verifyIsPlannedEvenWithoutCommandsAndEmptyPhasesAreLeftOut() throws PlanException {
        ClusterSpec spec = TestCluster.named("k8s").plain("w1", "w2").commands(Phase.UPGRADE, Phase.REBOOT).build();

        assertThat(Planner.plan(PlanRequest.of(spec)).stepIds()).containsExactly("gate:preflight",
                "node:w1:upgrade", "node:w1:reboot", "node:w1:verify", "gate:after:w1",
                "node:w2:upgrade", "node:w2:reboot", "node:w2:verify", "gate:after:w2", "gate:final");
    }

    @Test
    void batchesStayUnderMaxUnavailableAndKeepTheMembersOfAGroupApart() throws PlanException {
        ClusterSpec spec = TestCluster.named("pool").primary("p1").standby("s1", "s2", "s3", "s4")
                .commands(Phase.UPGRADE).maxUnavailable(2).group("pair-a", 1, "s1", "s2").build();

        Plan plan = Planner.plan(PlanRequest.of(spec));

        assertThat(plan.stepIds()).containsExactly("gate:preflight",
                "node:s1+s3:upgrade", "node:s1+s3:verify", "gate:after:s1+s3",
                "node:s2+s4:upgrade", "node:s2+s4:verify", "gate:after:s2+s4",
                "switchover:p1->s1", "node:p1:upgrade", "node:p1:verify", "gate:after:p1", "gate:final");
        assertThat(plan.notes()).contains("batches of up to 2 nodes (policy.maxUnavailable 2), never more than a group allows");
        assertThat(PlanSimulator.simulate(spec, plan).maxOutOfService()).isEqualTo(2);
    }

    @Test
    void aQuorumStackKeepsAMajorityUpWhateverMaxUnavailableSays() throws PlanException {
        ClusterSpec spec = TestCluster.named("etcd").primary("e1").standby("e2", "e3", "e4", "e5")
                .commands(Phase.UPGRADE).maxUnavailable(3).quorum(true).build();

        Plan plan = Planner.plan(PlanRequest.of(spec));

        assertThat(plan.steps()).filteredOn(s -> s.is(Phase.UPGRADE)).extracting(PlanStep::nodes)
                .containsExactly(List.of("e2", "e3"), List.of("e4", "e5"), List.of("e1"));
        assertThat(plan.notes()).contains("batches of up to 2 nodes (a majority of the 5 quorum members stays up)");
    }

    @Test
    void canaryUpgradesOneStandbyAloneAndAsksBeforeTheRest() throws PlanException {
        ClusterSpec spec = TestCluster.named("web").primary("w1").standby("w2", "w3", "w4").commands(Phase.UPGRADE)
                .strategy(Strategy.CANARY).maxUnavailable(2).build();

        Plan plan = Planner.plan(PlanRequest.of(spec));

        assertThat(plan.stepIds()).containsExactly("gate:preflight",
                "node:w2:upgrade", "node:w2:verify", "gate:after:w2",
                "approval:after-first-node",
                "node:w3+w4:upgrade", "node:w3+w4:verify", "gate:after:w3+w4",
                "switchover:w1->w2", "node:w1:upgrade", "node:w1:verify", "gate:after:w1", "gate:final");
        PlanStep approval = plan.step("approval:after-first-node").orElseThrow();
        assertThat(approval.kind()).isEqualTo(StepKind.APPROVAL);
        assertThat(approval.approval()).isEqualTo(ApprovalPoint.AFTER_FIRST_NODE);
        assertThat(approval.description())
                .isEqualTo("standby w2 upgraded to 6.1.2 and verified; next: upgrade standbys w3, w4");
    }

    @Test
    void activePassiveAsksBeforeTheSwitchoverAndTheFailbackInWordsAPersonCanActOn() throws PlanException {
        ClusterSpec spec = TestCluster.named("skudonet").primary("zva5n1").standby("zva5n2").withUsualCommands()
                .strategy(Strategy.ACTIVE_PASSIVE).failback()
                .approvals(ApprovalPoint.BEFORE_SWITCHOVER, ApprovalPoint.BEFORE_FAILBACK).build();

        Plan plan = Planner.plan(PlanRequest.of(spec));

        assertThat(plan.stepIds()).containsExactly(
                "gate:preflight",
                "node:zva5n2:fence", "node:zva5n2:upgrade", "node:zva5n2:verify", "node:zva5n2:unfence",
                "gate:after:zva5n2",
                "approval:before-switchover", "switchover:zva5n1->zva5n2",
                "node:zva5n1:fence", "node:zva5n1:upgrade", "node:zva5n1:verify", "node:zva5n1:unfence",
                "gate:after:zva5n1",
                "approval:before-failback", "failback:zva5n2->zva5n1",
                "gate:final");
        assertThat(plan.step("approval:before-switchover").orElseThrow().description())
                .isEqualTo("standby zva5n2 runs 6.1.2 and is verified; next: switch over from zva5n1 to zva5n2 "
                        + "and upgrade primary zva5n1");
        assertThat(plan.step("approval:before-failback").orElseThrow().description())
                .isEqualTo("every node runs 6.1.2 and is verified; zva5n2 is primary; next: fail back the primary "
                        + "role from zva5n2 to zva5n1");
    }

    @Test
    void activePassiveDefaultsToAnApprovalBeforeTheSwitchover() throws PlanException {
        ClusterSpec spec = TestCluster.named("pair").primary("a").standby("b").commands(Phase.UPGRADE)
                .strategy(Strategy.ACTIVE_PASSIVE).build();

        assertThat(Planner.plan(PlanRequest.of(spec)).stepIds()).containsSubsequence("gate:after:b",
                "approval:before-switchover", "switchover:a->b");
    }

    @Test
    void approvalsAfterEachNodeAndBeforeStartWhenWritten() throws PlanException {
        ClusterSpec spec = TestCluster.named("trio").primary("a").standby("b", "c").commands(Phase.UPGRADE)
                .approvals(ApprovalPoint.BEFORE_START, ApprovalPoint.AFTER_EACH_NODE).build();

        Plan plan = Planner.plan(PlanRequest.of(spec));

        assertThat(plan.stepIds()).containsExactly("gate:preflight", "approval:before-start",
                "node:b:upgrade", "node:b:verify", "gate:after:b", "approval:after:b",
                "node:c:upgrade", "node:c:verify", "gate:after:c", "approval:after:c",
                "switchover:a->b", "node:a:upgrade", "node:a:verify", "gate:after:a", "gate:final");
        assertThat(plan.step("approval:before-start").orElseThrow().description())
                .isEqualTo("preflight gate passed; nothing has changed yet; next: upgrade standby b");
        assertThat(plan.step("approval:after:c").orElseThrow().description())
                .isEqualTo("standby c upgraded to 6.1.2 and verified; next: switch over from a to b and upgrade primary a");
    }

    @Test
    void replaceJoinsTheNewNodesMovesLeadershipAndRemovesTheOldOnesPrimaryLast() throws PlanException {
        ClusterSpec spec = TestCluster.named("one").primary("fe1").standby("fe2", "fe3").incoming("fe4", "fe5")
                .commands(Phase.JOIN, Phase.LEAVE, Phase.SWITCHOVER).strategy(Strategy.REPLACE).quorum(true).build();

        Plan plan = Planner.plan(PlanRequest.of(spec));

        assertThat(plan.stepIds()).containsExactly("gate:preflight",
                "node:fe4:join", "node:fe4:verify", "gate:after:fe4",
                "node:fe5:join", "node:fe5:verify", "gate:after:fe5",
                "switchover:fe1->fe4",
                "node:fe2:leave", "gate:after:fe2", "node:fe3:leave", "gate:after:fe3",
                "node:fe1:leave", "gate:after:fe1", "gate:final");
        assertThat(plan.notes()).contains("the cluster goes from 3 to 2 members; 2 join, 3 leave, one at a time",
                "mixed versions serve from step 2 (node:fe4:join) until step 13 (node:fe1:leave)");
        assertThat(PlanSimulator.simulate(spec, plan).after("gate:final").members()).containsExactlyInAnyOrder("fe4", "fe5");
    }

    @Test
    void replaceDoesNotTakeANewNodeAtTheTargetVersionForJoinedUntilTheRolloutShowsIt() throws PlanException {
        ClusterSpec spec = TestCluster.named("one").primary("fe1").standby("fe2", "fe3").incoming("fe4", "fe5")
                .commands(Phase.JOIN, Phase.LEAVE, Phase.SWITCHOVER).strategy(Strategy.REPLACE).quorum(true).build();

        // The engine finds fe4 and fe5 on the target version before either joined: both joins stay in the plan.
        Plan before = Planner.plan(new PlanRequest(spec, null, null, null, null, Set.of("fe4", "fe5")));
        assertThat(before.stepIds()).contains("node:fe4:join", "node:fe5:join", "switchover:fe1->fe4");
        assertThat(before.alreadyUpgraded()).isEmpty();

        // After the switchover fe4 is primary: every new node has joined; the old ones leave, the old primary last.
        Plan after = Planner.plan(new PlanRequest(spec, null, null, null,
                Map.of("fe4", Role.PRIMARY, "fe1", Role.STANDBY), Set.of("fe4", "fe5"), "fe1"));
        assertThat(after.stepIds()).containsExactly("gate:preflight", "node:fe2:leave", "gate:after:fe2",
                "node:fe3:leave", "gate:after:fe3", "node:fe1:leave", "gate:after:fe1", "gate:final");
    }

    @Test
    void fullStopStopsEverythingUpgradesThePrimaryFirstAndStatesTheDowntime() throws PlanException {
        ClusterSpec spec = TestCluster.named("one").standby("fe1").primary("fe2").standby("fe3")
                .commands(Phase.SNAPSHOT, Phase.STOP, Phase.UPGRADE, Phase.START, Phase.VERIFY)
                .strategy(Strategy.FULL_STOP).versions("5.12.4", "6.0.0").probeMaxDowntime(Duration.ofMinutes(2)).build();

        Plan plan = Planner.plan(PlanRequest.of(spec));

        assertThat(plan.stepIds()).containsExactly("gate:preflight",
                "node:fe1+fe2+fe3:snapshot", "node:fe1+fe2+fe3:stop",
                "node:fe2:upgrade", "node:fe1+fe3:upgrade",
                "node:fe2:start", "node:fe1+fe3:start",
                "node:fe1+fe2+fe3:verify", "gate:after:fe1+fe2+fe3", "gate:final");
        // stop, upgrade, upgrade, start, start: 10m each by default; verify 10m plus the 5m health timeout
        assertThat(plan.expectedDowntime()).isEqualTo(Duration.ofMinutes(65));
        assertThat(plan.mixedVersionWindow()).isNull();
        assertThat(plan.notes()).contains(
                "downtime window from step 3 (node:fe1+fe2+fe3:stop) to step 8 (node:fe1+fe2+fe3:verify): at most 1h 5m "
                        + "by the time limits of its steps; the run measures the real downtime",
                "probe.maxDowntime 2m is below that bound: the run fails if the real downtime exceeds it",
                "no mixed-version window: the service is stopped while the versions differ");
    }

    @Test
    void planningAgainAfterTheSwitchoverLeavesTheNewPrimaryAloneAndFailsBack() throws PlanException {
        ClusterSpec spec = TestCluster.named("lb").primary("lb1").standby("lb2").withUsualCommands().failback().build();
        Plan first = Planner.plan(PlanRequest.of(spec));

        Plan again = Planner.plan(new PlanRequest(spec, null, null, null,
                Map.of("lb1", Role.STANDBY, "lb2", Role.PRIMARY), Set.of("lb2")));

        assertThat(again.stepIds()).containsExactly("gate:preflight",
                "node:lb1:fence", "node:lb1:upgrade", "node:lb1:verify", "node:lb1:unfence", "gate:after:lb1",
                "failback:lb2->lb1", "gate:final");
        assertThat(first.stepIds()).containsSubsequence(again.stepIds());
        assertThat(again.alreadyUpgraded()).containsExactly("lb2");
        assertThat(again.primary()).isEqualTo("lb2");
        assertThat(again.mixedVersionWindow().startsAfter()).isNull();
        assertThat(again.notes()).contains("versions are mixed already until step 4 (node:lb1:verify)");
    }

    @Test
    void liveRolesWinOverTheDeclaredOnes() throws PlanException {
        ClusterSpec spec = TestCluster.named("lb").primary("lb1").standby("lb2").commands(Phase.UPGRADE).build();

        Plan plan = Planner.plan(new PlanRequest(spec, null, null, null, Map.of("lb2", Role.PRIMARY), null));

        assertThat(plan.primary()).isEqualTo("lb2");
        assertThat(plan.stepIds()).containsSubsequence("node:lb1:upgrade", "switchover:lb2->lb1", "node:lb2:upgrade");
    }

    @Test
    void theRequestOverridesTheSpecsStrategyAndVersions() throws PlanException {
        ClusterSpec spec = TestCluster.named("lb").primary("lb1").standby("lb2").commands(Phase.UPGRADE).build();

        Plan plan = Planner.plan(new PlanRequest(spec, Strategy.ACTIVE_PASSIVE, "7.0.1", "6.1.2", null, null));

        assertThat(plan.strategy()).isEqualTo(Strategy.ACTIVE_PASSIVE);
        assertThat(plan.targetVersion()).isEqualTo("7.0.1");
        assertThat(plan.currentVersion()).isEqualTo("6.1.2");
        assertThat(plan.notes()).contains("strategy active-passive (requested)",
                "compatibility: major jump 6.1.2 -> 7.0.1 has no rule; every strategy is allowed");
    }

    @Test
    void stepCommandsResolvesANodesOwnCommandsBeforeTheClusters() throws PlanException {
        ClusterSpec base = TestCluster.named("lb").primary("lb1").standby("lb2").commands(Phase.UPGRADE).build();
        NodeSpec lb2 = base.node("lb2");
        PhaseCommands own = new PhaseCommands(null, null, List.of(CommandSpec.of("special-upgrade")), null,
                null, null, null, null, null, null, null, null, null, null);
        NodeSpec lb2Own = new NodeSpec(lb2.name(), lb2.host(), null, null, null, lb2.role(), null, null,
                null, own);
        ClusterSpec spec = new ClusterSpec(base.name(), null, null, base.targetVersion(), null, null,
                List.of(base.node("lb1"), lb2Own), null, null, base.commands(), null, null, null, null, null, null);
        Plan plan = Planner.plan(PlanRequest.of(spec));

        assertThat(StepCommands.of(spec, plan.step("node:lb2:upgrade").orElseThrow()))
                .extracting(c -> c.node() + ": " + c.command().run()).containsExactly("lb2: special-upgrade");
        assertThat(StepCommands.of(spec, plan.step("node:lb1:upgrade").orElseThrow()))
                .extracting(c -> c.node() + ": " + c.command().run()).containsExactly("lb1: echo upgrade ${node.name}");
        assertThat(StepCommands.of(spec, plan.step("gate:preflight").orElseThrow())).isEmpty();
    }
}
