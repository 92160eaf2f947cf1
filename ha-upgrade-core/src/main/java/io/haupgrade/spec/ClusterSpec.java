package io.haupgrade.spec;

import java.util.List;
import java.util.Map;

/** A cluster and how to upgrade it: the root of a cluster file. */
@Doc("A cluster and how to upgrade it.")
public record ClusterSpec(
        @Required @Doc(value = "Name of the cluster; names the run, the journal and the lock.", example = "lb-prod")
        String name,
        @Doc("What this cluster is, in words.") String description,
        @Doc("The HA stack profile. Default: generic (everything from this file).") ProfileRef profile,
        @Doc(value = "The version every node runs after the upgrade; may be given on the command line instead.",
                example = "6.1.2")
        String targetVersion,
        @Doc(value = "The version the nodes run now, if known; discovered at run time. Used by the compatibility check.",
                example = "6.1.1")
        String currentVersion,
        @Doc("How to reach the nodes.") SshSettings ssh,
        @Required @Doc("The nodes.") List<NodeSpec> nodes,
        @Doc("Nodes that must not be down together.") List<NodeGroup> groups,
        @Doc("How to read roles and versions from the live cluster.") Discovery discovery,
        @Doc("The commands of each phase, for every node.") PhaseCommands commands,
        @Doc("Commands around the whole rollout and around each node.") Hooks hooks,
        @Doc("What healthy means, and how long gates wait.") Health health,
        @Doc("Service endpoint probed during the rollout to measure downtime.") ServiceProbe probe,
        @Doc("How the rollout proceeds.") UpgradePolicy policy,
        @Doc("Which version jumps are safe for which strategy.") Compatibility compatibility,
        @Doc(value = "Your own variables, usable as ${var.NAME} in commands.", example = "{package: app-6.1.2.deb}")
        Map<String, String> variables) {

    public ClusterSpec {
        profile = profile == null ? ProfileRef.DEFAULT : profile;
        ssh = ssh == null ? SshSettings.DEFAULTS : ssh;
        nodes = Lists.copy(nodes);
        groups = Lists.copy(groups);
        discovery = discovery == null ? Discovery.NONE : discovery;
        commands = commands == null ? PhaseCommands.NONE : commands;
        hooks = hooks == null ? Hooks.NONE : hooks;
        health = health == null ? Health.NONE : health;
        policy = policy == null ? UpgradePolicy.DEFAULTS : policy;
        compatibility = compatibility == null ? Compatibility.NONE : compatibility;
        variables = Lists.copy(variables);
    }

    /** The commands of a phase for a node: the node's own when it writes that phase, else the cluster's. */
    public List<CommandSpec> commandsFor(NodeSpec node, Phase phase) {
        List<CommandSpec> own = node.commands().of(phase);
        return own.isEmpty() ? commands.of(phase) : own;
    }

    /** A copy upgrading to {@code version}, as given on the command line or in a pipeline step. */
    public ClusterSpec withTargetVersion(String version) {
        return new ClusterSpec(name, description, profile, version, currentVersion, ssh, nodes, groups, discovery,
                commands, hooks, health, probe, policy, compatibility, variables);
    }

    public NodeSpec node(String name) {
        return nodes.stream().filter(n -> n.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no node named '" + name + "' in cluster " + this.name));
    }
}
