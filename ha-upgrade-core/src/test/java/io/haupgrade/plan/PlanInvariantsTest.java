package io.haupgrade.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.haupgrade.spec.ApprovalPoint;
import io.haupgrade.spec.ClusterSpec;
import io.haupgrade.spec.Membership;
import io.haupgrade.spec.NodeGroup;
import io.haupgrade.spec.NodeSpec;
import io.haupgrade.spec.Phase;
import io.haupgrade.spec.Role;
import io.haupgrade.spec.Strategy;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The safety invariants over random clusters, checked from the plan itself with a walk written independently of
 * {@link PlanSimulator}: a node is "in work" from its first disturbing phase until the gate after its batch.
 */
class PlanInvariantsTest {

    private static final Set<Phase> DISTURBS = EnumSet.of(Phase.FENCE, Phase.STOP, Phase.UPGRADE, Phase.REBOOT,
            Phase.JOIN);
    private static final Set<Strategy> IN_PLACE = EnumSet.of(Strategy.ROLLING, Strategy.CANARY, Strategy.ACTIVE_PASSIVE);

    @Property(tries = 400)
    void plansKeepEveryInvariantOrAreRefusedForAStatedReason(@ForAll @IntRange(min = 1, max = 12) int members,
                                                              @ForAll Strategy strategy, @ForAll boolean quorum,
                                                              @ForAll long seed) {
        RandomCluster random = RandomCluster.of(members, strategy, quorum, seed);
        ClusterSpec spec = random.spec();
        String expectedRefusal = expectedRefusal(spec, strategy);
        Plan plan;
        try {
            plan = Planner.plan(PlanRequest.of(spec));
        } catch (PlanException e) {
            assertThat(expectedRefusal).as("unexpected refusal of %s: %s", random.description(), e.format()).isNotNull();
            assertThat(e.getMessage()).as(random.description()).contains(expectedRefusal);
            assertThat(e.hint()).as("every refusal has a hint").isNotBlank();
            return;
        }
        assertThat(expectedRefusal).as("%s should be refused", random.description()).isNull();
        assertThat(PlanSimulator.simulate(spec, plan).violations()).as(random.description()).isEmpty();
        checkIndependently(spec, plan, random.description());
    }

    @Property(tries = 300)
    void planningAgainMidRolloutGivesTheSameIdsForTheRemainingWork(@ForAll @IntRange(min = 1, max = 12) int members,
                                                                    @ForAll Strategy strategy, @ForAll boolean quorum,
                                                                    @ForAll long seed, @ForAll @IntRange(max = 1000) int cutChoice)
            throws PlanException {
        RandomCluster random = RandomCluster.of(members, strategy, quorum, seed);
        ClusterSpec spec = random.spec();
        if (expectedRefusal(spec, strategy) != null) {
            return;
        }
        Plan plan = Planner.plan(PlanRequest.of(spec));
        List<PlanStep> steps = plan.steps();
        List<Integer> cuts = new ArrayList<>();
        for (int i = 1; i < steps.size(); i++) {
            // Before a new node's work: after a gate or an after-node approval, not inside an approved role move.
            PlanStep before = steps.get(i - 1);
            boolean afterNodeWork = before.kind() == StepKind.GATE || before.kind() == StepKind.APPROVAL
                    && EnumSet.of(ApprovalPoint.AFTER_FIRST_NODE, ApprovalPoint.AFTER_EACH_NODE).contains(before.approval());
            if (afterNodeWork && steps.get(i).kind() != StepKind.APPROVAL && steps.get(i).kind() != StepKind.GATE) {
                cuts.add(i);
            }
        }
        if (cuts.isEmpty()) {
            return;
        }
        int cut = cuts.get(cutChoice % cuts.size());
        Set<String> done = new LinkedHashSet<>();
        String primary = plan.primary();
        for (PlanStep step : steps.subList(0, cut)) {
            if (step.is(Phase.VERIFY) || step.is(Phase.LEAVE)) {
                done.addAll(step.nodes());
            }
            if (step.kind() == StepKind.SWITCHOVER || step.kind() == StepKind.FAILBACK) {
                primary = step.to();
            }
        }
        Map<String, Role> roles = new HashMap<>();
        for (NodeSpec node : spec.nodes()) {
            roles.put(node.name(), node.name().equals(primary) ? Role.PRIMARY : Role.STANDBY);
        }
        if (primary == null) {
            roles.clear();
        }
        Plan again = Planner.plan(new PlanRequest(spec, null, null, null, roles, done, plan.primary()));

        Set<String> opening = Set.of("gate:preflight", "approval:before-start", "hook:before-all",
                StepSequence.FIRST_NODE_APPROVAL);
        List<String> remaining = steps.subList(cut, steps.size()).stream().map(PlanStep::id)
                .filter(id -> !opening.contains(id)).toList();
        List<String> replanned = again.stepIds().stream().filter(id -> !opening.contains(id)).toList();
        String about = random.description() + ", planned again before step " + (cut + 1) + " with done " + done;
        // Every remaining step keeps its id and order; anything planned again (a replace rollout's joins, which a
        // version check cannot tell from done) has an id of the original plan, so the journal skips it.
        assertThat(replanned).as(about).containsSubsequence(remaining);
        assertThat(plan.stepIds()).as(about).containsSubsequence(replanned);
        if (strategy != Strategy.REPLACE) {
            assertThat(replanned).as(about).isEqualTo(remaining);
        }
        assertThat(PlanSimulator.simulate(spec, again).violations()).as(random.description()).isEmpty();
    }

    /** The refusals the planner is allowed to make for these random clusters, or null when it must plan. */
    static String expectedRefusal(ClusterSpec spec, Strategy strategy) {
        long members = spec.nodes().stream().filter(n -> n.membership() == Membership.MEMBER).count();
        boolean quorum = Boolean.TRUE.equals(spec.policy().quorum());
        boolean primary = spec.nodes().stream().anyMatch(n -> n.role() == Role.PRIMARY);
        boolean incoming = spec.nodes().stream().anyMatch(n -> n.membership() == Membership.INCOMING);
        return switch (strategy) {
            case ROLLING, CANARY, ACTIVE_PASSIVE -> {
                if (strategy == Strategy.ACTIVE_PASSIVE && !primary) {
                    yield "needs to know the primary";
                }
                if (members == 1) {
                    yield "has a single member";
                }
                yield quorum && members == 2 ? "loses the majority" : null;
            }
            case REPLACE -> !incoming ? "needs new-version nodes" : quorum && members == 1 ? "no majority" : null;
            case FULL_STOP -> null;
        };
    }

    /** The invariants, from the steps alone. */
    private static void checkIndependently(ClusterSpec spec, Plan plan, String about) {
        Strategy strategy = plan.strategy();
        Set<String> members = new LinkedHashSet<>();
        spec.nodes().stream().filter(n -> n.membership() == Membership.MEMBER).forEach(n -> members.add(n.name()));
        String initialPrimary = spec.nodes().stream().filter(n -> n.role() == Role.PRIMARY).map(NodeSpec::name)
                .findFirst().orElse(null);
        assertThat(plan.primary()).as(about).isEqualTo(initialPrimary);
        Set<String> inWork = new HashSet<>();
        Set<String> verified = new HashSet<>();
        String primary = initialPrimary;
        List<PlanStep> steps = plan.steps();
        for (int i = 0; i < steps.size(); i++) {
            PlanStep step = steps.get(i);
            String at = about + " at " + step.id();
            if (step.kind() == StepKind.NODE_PHASE) {
                if (step.phase() == Phase.JOIN) {
                    members.addAll(step.nodes());
                }
                if (DISTURBS.contains(step.phase())) {
                    inWork.addAll(step.nodes());
                }
                if (step.phase() == Phase.VERIFY) {
                    verified.addAll(step.nodes());
                }
                if (step.phase() == Phase.LEAVE) {
                    members.removeAll(step.nodes());
                    assertThat(primary != null && step.nodes().contains(primary)).as(at + ": the primary never leaves").isFalse();
                }
                if (step.phase() == Phase.FENCE) {
                    for (String node : step.nodes()) {
                        boolean undone = steps.subList(i + 1, steps.size()).stream().anyMatch(s ->
                                (s.is(Phase.UNFENCE) || s.is(Phase.ROLLBACK)) && s.nodes().contains(node));
                        assertThat(undone).as(at + ": the fence of " + node + " is undone later").isTrue();
                    }
                }
                if (IN_PLACE.contains(strategy) && initialPrimary != null && step.nodes().contains(initialPrimary)
                        && DISTURBS.contains(step.phase())) {
                    Set<String> standbys = new HashSet<>(members);
                    standbys.remove(initialPrimary);
                    assertThat(verified).as(at + ": the primary goes after its standbys").containsAll(standbys);
                }
                if (strategy != Strategy.FULL_STOP && DISTURBS.contains(step.phase())) {
                    assertThat(primary != null && step.nodes().contains(primary))
                            .as(at + ": the primary is never taken down while it holds the role").isFalse();
                }
            }
            if (step.kind() == StepKind.SWITCHOVER || step.kind() == StepKind.FAILBACK) {
                assertThat(step.from()).as(at).isEqualTo(primary);
                assertThat(verified).as(at + ": the role moves to an upgraded node").contains(step.to());
                primary = step.to();
            }
            if (step.kind() == StepKind.GATE) {
                inWork.removeAll(step.nodes());
            }
            if (strategy == Strategy.FULL_STOP) {
                continue;
            }
            Set<String> down = new HashSet<>(inWork);
            down.retainAll(members);
            assertThat(down.size()).as(at + ": at most maxUnavailable down, " + down)
                    .isLessThanOrEqualTo(spec.policy().maxUnavailable());
            for (NodeGroup group : spec.groups()) {
                long groupDown = group.members().stream().filter(down::contains).count();
                assertThat(groupDown).as(at + ": group " + group.name() + " down " + down)
                        .isLessThanOrEqualTo(group.maxUnavailable());
            }
            if (Boolean.TRUE.equals(spec.policy().quorum())) {
                assertThat(2 * (members.size() - down.size())).as(at + ": quorum majority up, down " + down)
                        .isGreaterThan(members.size());
            }
        }
        assertThat(inWork).as(about + ": nothing left in work").isEmpty();
        if (strategy == Strategy.REPLACE) {
            assertThat(members).as(about).containsExactlyInAnyOrderElementsOf(spec.nodes().stream()
                    .filter(n -> n.membership() == Membership.INCOMING).map(NodeSpec::name).toList());
        } else {
            assertThat(verified).as(about + ": every member upgraded").containsAll(members);
        }
        if (IN_PLACE.contains(strategy) && spec.policy().failback() && initialPrimary != null) {
            assertThat(primary).as(about + ": failback ends on the original primary").isEqualTo(initialPrimary);
        }
        if (strategy == Strategy.FULL_STOP && steps.stream().anyMatch(s -> s.kind() == StepKind.NODE_PHASE)) {
            assertThat(plan.expectedDowntime()).as(about + ": full-stop states its downtime").isNotNull();
        } else if (strategy != Strategy.FULL_STOP) {
            assertThat(plan.expectedDowntime()).isNull();
        }
        if (plan.steps().isEmpty()) {
            fail("empty plan for " + about);
        }
    }
}
