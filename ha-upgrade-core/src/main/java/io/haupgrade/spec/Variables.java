package io.haupgrade.spec;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The values of the {@code ${...}} variables at one point of a rollout. Immutable: each {@code with...} returns
 * a copy, so the engine builds the cluster's values once and adds a node, a primary or a peer as it goes.
 */
public final class Variables {
    private final Map<String, String> values;
    private final SshSettings ssh;

    private Variables(Map<String, String> values, SshSettings ssh) {
        this.values = Collections.unmodifiableMap(values);
        this.ssh = ssh;
    }

    /** cluster.name, targetVersion and currentVersion when written, every var.NAME and every setting.NAME. */
    public static Variables forCluster(ClusterSpec spec) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("cluster.name", spec.name());
        putIfPresent(values, "targetVersion", spec.targetVersion());
        putIfPresent(values, "currentVersion", spec.currentVersion());
        spec.variables().forEach((name, value) -> values.put(Template.VAR_PREFIX + name, value));
        spec.profile().settings().forEach((name, value) -> values.put(Template.SETTING_PREFIX + name, value));
        return new Variables(values, spec.ssh());
    }

    public Variables with(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(values);
        putIfPresent(copy, name, value);
        return new Variables(copy, ssh);
    }

    public Variables withTargetVersion(String version) {
        return with("targetVersion", version);
    }

    public Variables withCurrentVersion(String version) {
        return with("currentVersion", version);
    }

    /**
     * The node being worked on: node.name, host, port and user (the node's own or the ssh defaults), role and labels;
     * node.fenced false until {@link #withNodeFenced()}.
     *
     * @param role the node's role now (discovered); null to use the declared one
     */
    public Variables withNode(NodeSpec node, Role role) {
        Map<String, String> copy = new LinkedHashMap<>(values);
        copy.keySet().removeIf(k -> k.startsWith("node."));
        copy.put("node.name", node.name());
        copy.put("node.host", node.host());
        copy.put("node.port", String.valueOf(node.port() != null ? node.port() : ssh.port()));
        putIfPresent(copy, "node.user", node.user() != null ? node.user() : ssh.user());
        Role effective = role != null ? role : node.role();
        putIfPresent(copy, "node.role", effective == null ? null : SpecModel.kebab(effective));
        copy.put("node.fenced", "false");
        node.labels().forEach((key, value) -> copy.put(Template.LABEL_PREFIX + key, value));
        return new Variables(copy, ssh);
    }

    /**
     * node.fenced true: this run holds the node out of service (from its fence until its unfence), so checks may
     * accept what the fence did (a stopped daemon) on this run's word, not on a marker a dead run could leave.
     */
    public Variables withNodeFenced() {
        return with("node.fenced", "true");
    }

    /** The current primary: primary.name and primary.host. */
    public Variables withPrimary(NodeSpec primary) {
        return with("primary.name", primary.name()).with("primary.host", primary.host());
    }

    /** The other side of a switchover or failback: peer.name and peer.host. */
    public Variables withPeer(NodeSpec peer) {
        return with("peer.name", peer.name()).with("peer.host", peer.host());
    }

    public Optional<String> get(String name) {
        return Optional.ofNullable(values.get(name));
    }

    /** Names only: values may hold things that must not be logged. */
    @Override
    public String toString() {
        return "Variables" + values.keySet();
    }

    private static void putIfPresent(Map<String, String> values, String name, String value) {
        if (value != null) {
            values.put(name, value);
        }
    }
}
