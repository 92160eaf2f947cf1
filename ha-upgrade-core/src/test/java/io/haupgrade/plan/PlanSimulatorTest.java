package io.haupgrade.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.haupgrade.spec.ClusterSpec;
import io.haupgrade.spec.Phase;
import io.haupgrade.spec.Strategy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The simulator catches unsafe orders in plans written by hand (the planner never makes them). */
class PlanSimulatorTest {

    private final ClusterSpec trio = TestCluster.named("trio").primary("a").standby("b", "c").withUsualCommands()
            .quorum(true).group("pair", 1, "b", "c").maxUnavailable(2).build();

    @Test
    void tracksWhoIsOutOfServiceAndWhoIsPrimaryStepByStep() throws PlanException {
        Plan plan = Planner.plan(PlanRequest.of(trio));
        Simulation simulation = PlanSimulator.simulate(trio, plan);

        assertThat(simulation.safe()).isTrue();
        assertThat(simulation.after("node:b:fence").outOfService()).containsExactly("b");
        assertThat(simulation.after("node:b:unfence").outOfService()).isEmpty();
        assertThat(simulation.after("node:b:verify").upgraded()).containsExactly("b");
        assertThat(simulation.after("switchover:a->b").primary()).isEqualTo("b");
        assertThat(simulation.after("node:a:upgrade").outOfService()).containsExactly("a");
        assertThat(simulation.maxOutOfService()).isEqualTo(1);
    }

    @Test
    void thePrimaryFencedBeforeASwitchover() {
        Simulation s = simulate(Strategy.ROLLING, step("node:a:fence", Phase.FENCE, "a"));

        assertThat(s.violations()).contains("step 2 (node:a:fence) touches the primary a before its standbys b, c are upgraded",
                "step 2 (node:a:fence) takes the primary a out of service while it holds the role");
    }

    @Test
    void twoMembersOfAGroupDownTogetherAndNoMajorityLeft() {
        Simulation s = simulate(Strategy.ROLLING, step("node:b+c:fence", Phase.FENCE, "b", "c"));

        assertThat(s.violations()).contains(
                "step 2 (node:b+c:fence) has [b, c] of group pair out of service, more than its maxUnavailable 1",
                "step 2 (node:b+c:fence) keeps only 1 of 3 quorum members up, no majority");
    }

    @Test
    void aFenceThatIsNeverUndoneAndNodesNeverUpgraded() {
        Simulation s = simulate(Strategy.ROLLING, step("node:b:fence", Phase.FENCE, "b"));

        assertThat(s.violations()).contains("node b is fenced and never unfenced", "node a is never upgraded and verified");
    }

    @Test
    void aSwitchoverToANodeThatIsNotUpgraded() {
        Simulation s = simulate(Strategy.ROLLING, new PlanStep(0, "switchover:a->c", StepKind.SWITCHOVER,
                List.of("a", "c"), null, null, "switch over"));

        assertThat(s.violations()).contains("step 2 (switchover:a->c) moves the primary role to c, which is not upgraded yet");
    }

    @Test
    void phasesOutOfOrderOnANode() {
        Simulation s = simulate(Strategy.ROLLING, step("node:b:verify", Phase.VERIFY, "b"),
                step("node:b:upgrade", Phase.UPGRADE, "b"));

        assertThat(s.violations()).contains("step 3 (node:b:upgrade) runs upgrade on b after verify");
    }

    private Simulation simulate(Strategy strategy, PlanStep... middle) {
        List<PlanStep> steps = new ArrayList<>();
        steps.add(new PlanStep(1, "gate:preflight", StepKind.GATE, List.of(), null, null, "preflight"));
        for (PlanStep step : middle) {
            steps.add(new PlanStep(steps.size() + 1, step.id(), step.kind(), step.nodes(), step.phase(), null, step.description()));
        }
        steps.add(new PlanStep(steps.size() + 1, "gate:final", StepKind.GATE, List.of(), null, null, "final"));
        Plan plan = new Plan("trio", strategy, "6.1.2", null, steps, null, List.of(), "a", List.of(), null);
        return PlanSimulator.simulate(trio, plan);
    }

    private static PlanStep step(String id, Phase phase, String... nodes) {
        return new PlanStep(0, id, StepKind.NODE_PHASE, List.of(nodes), phase, null, id);
    }
}
