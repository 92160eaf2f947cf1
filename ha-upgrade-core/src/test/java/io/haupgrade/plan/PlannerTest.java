package io.haupgrade.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.haupgrade.spec.ApprovalPoint;
import io.haupgrade.spec.ClusterSpec;
import io.haupgrade.spec.Phase;
import io.haupgrade.spec.Strategy;
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
        assertThat(plan.expectedDowntime()).isNull();
        assertThat(plan.step("switchover:lb1->lb2").orElseThrow().nodes()).containsExactly("lb1", "lb2");
        assertThat(plan.steps()).extracting(PlanStep::index).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    }

    @Test
    void activePassiveAsksBeforeTheSwitchoverInWordsAPersonCanActOn() throws PlanException {
        ClusterSpec spec = TestCluster.named("skudonet").primary("zva5n1").standby("zva5n2").withUsualCommands()
                .strategy(Strategy.ACTIVE_PASSIVE).failback().approvals(ApprovalPoint.BEFORE_SWITCHOVER,
                        ApprovalPoint.BEFORE_FAILBACK).build();

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
    }
}
