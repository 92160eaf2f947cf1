package io.haupgrade.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.haupgrade.execute.DryRun;
import io.haupgrade.spec.ClusterSpec;
import io.haupgrade.spec.Role;
import io.haupgrade.spec.SpecException;
import io.haupgrade.spec.SpecLoader;
import io.haupgrade.spec.Strategy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every example cluster file in docs/examples plans with its own strategy, and the plan is safe. */
class ExamplePlansTest {
    private static final Path EXAMPLES = Path.of("..", "docs", "examples");

    static Stream<Path> examples() throws IOException {
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("examples")
    void plansWithItsOwnStrategy(Path example) throws SpecException {
        ClusterSpec spec = SpecLoader.load(example);
        Plan plan;
        try {
            plan = Planner.plan(PlanRequest.of(spec));
        } catch (PlanException e) {
            throw new AssertionError(example + ": " + e.format(), e);
        }
        assertThat(plan.strategy()).isEqualTo(spec.policy().strategy());
        assertThat(plan.steps()).filteredOn(s -> s.kind() == StepKind.NODE_PHASE).isNotEmpty();
        assertThat(PlanSimulator.simulate(spec, plan).violations()).isEmpty();
        assertThat(plan.expectedDowntime() != null).isEqualTo(plan.strategy() == Strategy.FULL_STOP);
    }

    @Test
    void withRolesLeftToDiscoveryThePlanAssumesTheFirstNodeIsPrimaryAndSaysSo() throws Exception {
        Plan plan = Planner.plan(PlanRequest.of(SpecLoader.load(EXAMPLES.resolve("pacemaker-standby.yaml"))));

        assertThat(plan.primary()).isEqualTo("server1");
        assertThat(plan.stepIds()).contains("approval:before-switchover", "switchover:server1->server2");
        assertThat(plan.notes()).contains("roles are discovered at run time; this plan assumes server1 (the first node) "
                + "is the primary, and the run plans again with the roles it finds");
    }

    @Test
    void theSkudonetPairAsksOnceBeforeTheSwitchover() throws Exception {
        Plan plan = Planner.plan(PlanRequest.of(SpecLoader.load(EXAMPLES.resolve("skudonet-lb-pair.yaml"))));

        assertThat(plan.stepIds()).containsExactly("gate:preflight",
                "node:zva5n2:snapshot", "node:zva5n2:fence", "node:zva5n2:upgrade", "node:zva5n2:verify",
                "node:zva5n2:unfence", "gate:after:zva5n2",
                "approval:before-switchover", "switchover:zva5n1->zva5n2",
                "node:zva5n1:snapshot", "node:zva5n1:fence", "node:zva5n1:upgrade", "node:zva5n1:verify",
                "node:zva5n1:unfence", "gate:after:zva5n1",
                "hook:after-all", "gate:final");
        assertThat(plan.notes()).contains("the after-first-node approval is the before-switchover approval here: "
                + "one question, right after the first node");
    }

    @Test
    void theSkudonetFailbackRunsForTheCurrentMasterAndBringsTheOriginalMasterOutOfMaintenanceFirst() throws Exception {
        String yaml = Files.readString(EXAMPLES.resolve("skudonet-lb-pair.yaml"));
        assertThat(yaml).contains("failback: false");
        ClusterSpec spec = SpecLoader.parse(yaml.replace("failback: false", "failback: true"), "skudonet-lb-pair.yaml");
        Map<String, Role> roles = Map.of("zva5n1", Role.PRIMARY, "zva5n2", Role.STANDBY);
        Plan plan = Planner.plan(new PlanRequest(spec, null, null, null, roles, null));
        assertThat(plan.stepIds()).containsSubsequence("switchover:zva5n1->zva5n2", "node:zva5n1:upgrade",
                "failback:zva5n2->zva5n1", "gate:final");

        String failback = DryRun.render(spec, plan, roles).lines().dropWhile(l -> !l.contains("failback:zva5n2->zva5n1"))
                .skip(1).takeWhile(l -> !l.contains("then: wait")).map(String::strip).toList().toString();

        // The failback runs for zva5n2 (MASTER after the switchover); ${peer} and "others" are zva5n1.
        assertThat(failback).isEqualTo("[zva5n1 $ /usr/local/sbin/skudonet-cluster-maintenance disable, "
                + "zva5n2 $ /usr/local/sbin/skudonet-cluster-maintenance enable, "
                + "zva5n1 $ vip=198.51.100.10; for i in $(seq 60); do ip -o addr show | grep -q \"inet $vip/\" && exit 0; sleep 2; done; exit 1, "
                + "zva5n2 $ /usr/local/sbin/skudonet-cluster-maintenance disable]");
    }
}
