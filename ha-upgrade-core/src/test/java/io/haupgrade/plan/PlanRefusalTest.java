package io.haupgrade.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haupgrade.spec.ClusterSpec;
import io.haupgrade.spec.CompatibilityRule;
import io.haupgrade.spec.Phase;
import io.haupgrade.spec.Role;
import io.haupgrade.spec.Strategy;
import io.haupgrade.spec.VersionJump;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlanRefusalTest {

    private static final CompatibilityRule SCHEMA_CHANGE = new CompatibilityRule(VersionJump.MAJOR, null,
            List.of(Strategy.REPLACE, Strategy.FULL_STOP), "the database schema changes");

    private static TestCluster pair() {
        return TestCluster.named("one").primary("fe1").standby("fe2").incoming("fe3").commands(Phase.UPGRADE);
    }

    @Test
    void anUnsafeStrategyForTheJumpIsRefusedNamingTheJumpTheReasonAndTheSafeStrategies() {
        ClusterSpec spec = pair().versions("5.4.1", "6.0.0").compatibility(null, null, SCHEMA_CHANGE).build();

        assertThatThrownBy(() -> Planner.plan(PlanRequest.of(spec))).isInstanceOfSatisfying(PlanException.class, e -> {
            assertThat(e.getMessage()).isEqualTo("rolling is not safe for the major jump 5.4.1 -> 6.0.0 (compatibility rule "
                    + "for major jumps): the database schema changes. Safe: replace, full-stop");
            assertThat(e.hint()).isEqualTo("choose a safe strategy, e.g. --strategy replace or policy.strategy: replace");
        });
    }

    @Test
    void aSafeStrategyForTheSameJumpIsPlannedWithANote() throws PlanException {
        ClusterSpec spec = pair().versions("5.4.1", "6.0.0").compatibility(null, null, SCHEMA_CHANGE).build();

        Plan plan = Planner.plan(PlanRequest.of(spec).withStrategy(Strategy.FULL_STOP));

        assertThat(plan.notes()).contains("compatibility: major jump 5.4.1 -> 6.0.0 allows replace, full-stop: "
                + "the database schema changes");
    }

    @Test
    void theRuleWithTheHighestFromThatApplies() throws PlanException {
        CompatibilityRule compatibleSince54 = new CompatibilityRule(VersionJump.MAJOR, "5.4", List.of(Strategy.ROLLING),
                "5.4 already writes the new schema");
        ClusterSpec newer = pair().versions("5.4.2", "6.0").compatibility(null, null, SCHEMA_CHANGE, compatibleSince54).build();
        ClusterSpec older = pair().versions("5.3.9", "6.0").compatibility(null, null, SCHEMA_CHANGE, compatibleSince54).build();

        assertThat(Planner.plan(PlanRequest.of(newer)).strategy()).isEqualTo(Strategy.ROLLING);
        assertThatThrownBy(() -> Planner.plan(PlanRequest.of(older))).isInstanceOf(PlanException.class)
                .hasMessageContaining("the database schema changes");
    }

    @Test
    void aMinorJumpIsNotTouchedByAMajorRule() throws PlanException {
        ClusterSpec spec = pair().versions("6.0.3", "6.1.2").compatibility(null, null, SCHEMA_CHANGE).build();

        assertThat(Planner.plan(PlanRequest.of(spec)).notes())
                .contains("compatibility: minor jump 6.0.3 -> 6.1.2 has no rule; every strategy is allowed");
    }

    @Test
    void aVersionOlderThanTheMinimumMixedVersionMustNotRunBesideTheTarget() {
        ClusterSpec spec = pair().versions("5.2", "5.6").compatibility("5.4", null).build();

        assertThatThrownBy(() -> Planner.plan(PlanRequest.of(spec).withStrategy(Strategy.CANARY)))
                .isInstanceOfSatisfying(PlanException.class, e -> {
                    assertThat(e.getMessage()).isEqualTo("canary would run 5.2 beside 5.6, but "
                            + "compatibility.minimumMixedVersion says the oldest version that may run beside it is 5.4. "
                            + "Safe: full-stop");
                    assertThat(e.hint()).contains("--strategy full-stop");
                });
    }

    @Test
    void theMixedVersionWindowLimitIsStatedForTheRun() throws PlanException {
        ClusterSpec spec = pair().versions("5.4", "5.6").compatibility("5.4", Duration.ofMinutes(30)).build();

        Plan plan = Planner.plan(PlanRequest.of(spec));

        assertThat(plan.mixedVersionWindow().limit()).isEqualTo(Duration.ofMinutes(30));
        assertThat(plan.notes()).contains("mixed versions: 5.4 may run beside 5.6 (compatibility.minimumMixedVersion 5.4)",
                "mixed versions serve from step 2 (node:fe2:upgrade) until step 7 (node:fe1:verify); the run stops "
                        + "the rollout if that takes longer than compatibility.maxMixedWindow 30m");
    }

    @Test
    void anUnknownCurrentVersionIsPlannedWithANoteThatTheRulesWaitForIt() throws PlanException {
        ClusterSpec spec = pair().compatibility(null, null, SCHEMA_CHANGE).build();

        assertThat(Planner.plan(PlanRequest.of(spec)).notes()).contains("current version unknown: the compatibility "
                + "rules are checked once it is known (discovery.version, currentVersion in the spec, or --current-version)");
    }

    @Test
    void noTargetVersion() {
        ClusterSpec spec = pair().versions(null, null).build();

        assertRefused(spec, "no target version for cluster one", "write targetVersion in the spec, or pass --target-version");
    }

    @Test
    void unparseableVersions() {
        assertRefused(pair().versions(null, "six").build(), "target version 'six' is not a dotted numeric version",
                "e.g. 6.1.2");
        assertRefused(pair().versions("6.1-beta 2", "6.2").build(),
                "current version '6.1-beta 2' is not a dotted numeric version", "e.g. 6.1.2");
    }

    @Test
    void aDowngrade() {
        assertRefused(pair().versions("6.1.2", "6.0.9").build(), "target version 6.0.9 is older than the current version 6.1.2",
                "ha-upgrade upgrades");
    }

    @Test
    void twoPrimaries() {
        ClusterSpec spec = pair().build();
        assertThatThrownBy(() -> Planner.plan(new PlanRequest(spec, null, null, null,
                Map.of("fe1", Role.PRIMARY, "fe2", Role.PRIMARY), null)))
                .isInstanceOf(PlanException.class).hasMessage("cluster one has more than one primary: fe1, fe2");
    }

    @Test
    void rolesOrDoneNodesThatAreNotInTheSpec() {
        ClusterSpec spec = pair().build();
        assertThatThrownBy(() -> Planner.plan(new PlanRequest(spec, null, null, null, Map.of("fe9", Role.PRIMARY), null)))
                .isInstanceOf(PlanException.class).hasMessage("the known roles name nodes that are not in cluster one: fe9");
        assertThatThrownBy(() -> Planner.plan(new PlanRequest(spec, null, null, null, null, Set.of("x"))))
                .isInstanceOf(PlanException.class)
                .hasMessage("the already upgraded nodes name nodes that are not in cluster one: x");
    }

    @Test
    void activePassiveWithoutAPrimary() {
        ClusterSpec spec = TestCluster.named("two").plain("a", "b").commands(Phase.UPGRADE)
                .strategy(Strategy.ACTIVE_PASSIVE).build();

        assertRefused(spec, "active-passive needs to know the primary of cluster two, and no node is primary",
                "declare role: primary");
    }

    @Test
    void aSingleMemberCannotBeUpgradedWithoutDowntimeInPlace() {
        ClusterSpec spec = TestCluster.named("solo").primary("a").commands(Phase.UPGRADE).build();

        assertRefused(spec, "cluster solo has a single member, a: rolling would take the service down while it is upgraded",
                "--strategy full-stop");
    }

    @Test
    void aTwoMemberQuorumStackCannotLoseOne() {
        ClusterSpec spec = TestCluster.named("pcs").primary("a").standby("b").commands(Phase.UPGRADE).quorum(true).build();

        assertRefused(spec, "quorum stack pcs has 2 members: taking one down for rolling loses the majority",
                "set policy.quorum: false");
    }

    @Test
    void replaceWithoutIncomingNodes() {
        ClusterSpec spec = TestCluster.named("k").primary("a").standby("b").strategy(Strategy.REPLACE).build();

        assertRefused(spec, "replace needs new-version nodes to join cluster k, and the spec has none",
                "membership: incoming");
    }

    @Test
    void aFenceWithoutAnUnfence() {
        ClusterSpec spec = TestCluster.named("k").primary("a").standby("b").commands(Phase.FENCE, Phase.UPGRADE).build();

        assertRefused(spec, "node a has fence commands but no unfence commands: it would stay out of service",
                "write commands.unfence");
    }

    @Test
    void aStopWithoutAStartInFullStop() {
        ClusterSpec spec = TestCluster.named("k").primary("a").standby("b").commands(Phase.STOP, Phase.UPGRADE)
                .strategy(Strategy.FULL_STOP).build();

        assertRefused(spec, "node a has stop commands but no start commands", "write commands.start");
    }

    @Test
    void aGroupThatAllowsNobodyDownAndAPolicyThatAllowsNobodyDown() {
        assertRefused(TestCluster.named("g").primary("a").standby("b", "c").commands(Phase.UPGRADE)
                .group("pair", 0, "b", "c").build(), "group pair allows 0 members down", "at least 1");
        assertRefused(TestCluster.named("g").primary("a").standby("b", "c").commands(Phase.UPGRADE)
                .maxUnavailable(0).build(), "policy.maxUnavailable is 0", "at least 1");
    }

    private static void assertRefused(ClusterSpec spec, String message, String hint) {
        assertThatThrownBy(() -> Planner.plan(PlanRequest.of(spec))).isInstanceOfSatisfying(PlanException.class, e -> {
            assertThat(e.getMessage()).contains(message);
            assertThat(e.hint()).contains(hint);
        });
    }
}
