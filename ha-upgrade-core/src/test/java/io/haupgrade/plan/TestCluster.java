package io.haupgrade.plan;

import io.haupgrade.spec.ApprovalPoint;
import io.haupgrade.spec.Approvals;
import io.haupgrade.spec.ClusterSpec;
import io.haupgrade.spec.CommandSpec;
import io.haupgrade.spec.Compatibility;
import io.haupgrade.spec.CompatibilityRule;
import io.haupgrade.spec.Hooks;
import io.haupgrade.spec.Membership;
import io.haupgrade.spec.NodeGroup;
import io.haupgrade.spec.NodeSpec;
import io.haupgrade.spec.Phase;
import io.haupgrade.spec.PhaseCommands;
import io.haupgrade.spec.Role;
import io.haupgrade.spec.ServiceProbe;
import io.haupgrade.spec.Strategy;
import io.haupgrade.spec.UpgradePolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Builds cluster specs for planner tests, with one {@code echo} command per phase that is asked for. */
final class TestCluster {
    private final String name;
    private final List<NodeSpec> nodes = new ArrayList<>();
    private final List<NodeGroup> groups = new ArrayList<>();
    private final Map<Phase, List<CommandSpec>> commands = new EnumMap<>(Phase.class);
    private Hooks hooks = Hooks.NONE;
    private Strategy strategy;
    private Integer maxUnavailable;
    private List<ApprovalPoint> approvals;
    private Boolean failback;
    private Boolean quorum;
    private String target = "6.1.2";
    private String current;
    private Compatibility compatibility;
    private ServiceProbe probe;

    private TestCluster(String name) {
        this.name = name;
    }

    static TestCluster named(String name) {
        return new TestCluster(name);
    }

    /** The usual phases: fence, upgrade, verify, unfence. */
    TestCluster withUsualCommands() {
        return commands(Phase.FENCE, Phase.UPGRADE, Phase.VERIFY, Phase.UNFENCE);
    }

    TestCluster commands(Phase... phases) {
        for (Phase phase : phases) {
            commands.put(phase, List.of(CommandSpec.of("echo " + phase.name().toLowerCase() + " ${node.name}")));
        }
        return this;
    }

    TestCluster primary(String node) {
        return node(node, Role.PRIMARY, Membership.MEMBER);
    }

    TestCluster standby(String... names) {
        for (String n : names) {
            node(n, Role.STANDBY, Membership.MEMBER);
        }
        return this;
    }

    TestCluster plain(String... names) {
        for (String n : names) {
            node(n, null, Membership.MEMBER);
        }
        return this;
    }

    TestCluster incoming(String... names) {
        for (String n : names) {
            node(n, null, Membership.INCOMING);
        }
        return this;
    }

    TestCluster node(String node, Role role, Membership membership) {
        nodes.add(new NodeSpec(node, "10.0.0." + (nodes.size() + 1), null, null, null, role, membership, null, null, null));
        return this;
    }

    TestCluster group(String group, int max, String... members) {
        groups.add(new NodeGroup(group, List.of(members), max));
        return this;
    }

    TestCluster hooks(boolean beforeAll, boolean afterAll, boolean beforeNode, boolean afterNode) {
        hooks = new Hooks(beforeAll ? List.of(CommandSpec.of("echo before-all")) : null,
                afterAll ? List.of(CommandSpec.of("echo after-all")) : null,
                beforeNode ? List.of(CommandSpec.of("echo before-node")) : null,
                afterNode ? List.of(CommandSpec.of("echo after-node")) : null);
        return this;
    }

    TestCluster strategy(Strategy s) {
        strategy = s;
        return this;
    }

    TestCluster maxUnavailable(int max) {
        maxUnavailable = max;
        return this;
    }

    TestCluster approvals(ApprovalPoint... points) {
        approvals = List.of(points);
        return this;
    }

    TestCluster failback() {
        failback = true;
        return this;
    }

    TestCluster quorum(boolean on) {
        quorum = on;
        return this;
    }

    TestCluster versions(String currentVersion, String targetVersion) {
        current = currentVersion;
        target = targetVersion;
        return this;
    }

    TestCluster compatibility(String minimumMixed, Duration maxMixedWindow, CompatibilityRule... rules) {
        compatibility = new Compatibility(List.of(rules), minimumMixed, maxMixedWindow);
        return this;
    }

    TestCluster probeMaxDowntime(Duration max) {
        probe = new ServiceProbe("http://10.0.0.100/", null, null, max, null, null);
        return this;
    }

    ClusterSpec build() {
        PhaseCommands phases = new PhaseCommands(get(Phase.SNAPSHOT), get(Phase.FENCE), get(Phase.UPGRADE),
                get(Phase.REBOOT), get(Phase.VERIFY), get(Phase.UNFENCE), get(Phase.SWITCHOVER), get(Phase.FAILBACK),
                get(Phase.ROLLBACK), get(Phase.RESTORE), get(Phase.STOP), get(Phase.START), get(Phase.JOIN),
                get(Phase.LEAVE));
        UpgradePolicy policy = new UpgradePolicy(strategy, maxUnavailable,
                new Approvals(approvals, null, null, null, null), null, failback, quorum, null, null, null);
        return new ClusterSpec(name, null, null, target, current, null, nodes, groups, null, phases, hooks, null, probe,
                policy, compatibility, null);
    }

    private List<CommandSpec> get(Phase phase) {
        return commands.get(phase);
    }
}
