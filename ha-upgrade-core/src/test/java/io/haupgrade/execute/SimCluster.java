package io.haupgrade.execute;

import io.haupgrade.embedded.EmbeddedSshCluster;
import io.haupgrade.embedded.EmbeddedSshNode;
import io.haupgrade.spec.ClusterSpec;
import io.haupgrade.spec.SpecLoader;
import io.haupgrade.ssh.PrivateKeyCredential;
import io.haupgrade.ssh.SecretMasker;
import io.haupgrade.ssh.SshConnector;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A simulated cluster for engine tests: embedded SSH nodes (real /bin/sh in one directory per node) whose spec
 * commands really change files there. Each node has {@code version} and {@code role} (MASTER or BACKUP, as a
 * keepalived notify script writes it) files; every phase command
 * appends "node phase" to the shared {@code ../cluster.log}, so a test sees what reached which node, in order.
 * Faults are files the test creates in a node's directory: {@code fail-<phase>} makes that phase exit 3,
 * {@code hang-upgrade} makes the upgrade sleep, {@code flap} holds how many more health checks fail.
 */
final class SimCluster implements AutoCloseable {
    static final String FROM = "1.0";
    static final String TARGET = "2.0";

    private final Path base;
    private final EmbeddedSshCluster cluster;
    /** The last {@code incoming} nodes are new nodes (membership incoming) already at the target version. */
    private final int incoming;
    final List<RunEvent> events = new CopyOnWriteArrayList<>();
    /** Called with every event after it is recorded: where a test injects a fault at an exact point of the run. */
    volatile RunListener hook = RunListener.NONE;

    private SimCluster(Path base, int size, int incoming) throws IOException {
        this.base = base;
        this.incoming = incoming;
        this.cluster = EmbeddedSshCluster.start(base, "n", size + incoming);
        for (EmbeddedSshNode node : cluster.nodes()) {
            Files.writeString(node.dir().resolve("version"), (isIncoming(node.name()) ? TARGET : FROM) + "\n");
            Files.writeString(node.dir().resolve("role"), (node.name().equals("n1") ? "MASTER" : "BACKUP") + "\n");
        }
        Files.writeString(base.resolve("cluster.log"), "");
    }

    static SimCluster start(Path base, int size) throws IOException {
        return new SimCluster(base, size, 0);
    }

    /** {@code size} members (n1 primary) and {@code incoming} new nodes after them, for a replace rollout. */
    static SimCluster start(Path base, int size, int incoming) throws IOException {
        return new SimCluster(base, size, incoming);
    }

    boolean isIncoming(String node) {
        int index = Integer.parseInt(node.substring(1));
        return index > cluster.nodes().size() - incoming;
    }

    EmbeddedSshNode node(String name) {
        return cluster.node(name);
    }

    List<EmbeddedSshNode> nodes() {
        return cluster.nodes();
    }

    /** A phase command: log it, fail on request, then do {@code action}. */
    private static String phase(String phase, String action) {
        return "echo \"${node.name} " + phase + "\" >> ../cluster.log; [ ! -e fail-" + phase + " ] || exit 3; " + action;
    }

    /** The spec of this cluster; {@code extra} is YAML appended at the top level (policy, hooks, ...). */
    String specYaml(String policy, String extra) {
        StringBuilder y = new StringBuilder();
        y.append("name: sim\n");
        y.append("targetVersion: \"").append(TARGET).append("\"\n");
        y.append("ssh:\n  user: ").append(cluster.nodes().get(0).user()).append("\n  credentialsId: sim\n");
        y.append("  knownHosts:\n    text: |\n");
        for (String line : cluster.knownHosts().split("\n")) {
            y.append("      ").append(line).append("\n");
        }
        y.append("  connectTimeout: 3s\n  connectRetries: 0\n");
        y.append("nodes:\n");
        for (EmbeddedSshNode node : cluster.nodes()) {
            y.append("  - name: ").append(node.name()).append("\n    host: ").append(node.host())
                    .append("\n    port: ").append(node.port())
                    .append("\n    role: ").append(node.name().equals("n1") ? "primary" : "standby").append("\n");
            if (isIncoming(node.name())) {
                y.append("    membership: incoming\n");
            }
        }
        y.append("discovery:\n  role:\n    command: cat role\n    primaryPattern: MASTER\n");
        y.append("  version:\n    command: cat version\n");
        y.append("commands:\n");
        y.append("  snapshot: ").append(quote(phase("snapshot", "cp version snapshot"))).append("\n");
        y.append("  fence: ").append(quote(phase("fence", "echo fenced > fence"))).append("\n");
        y.append("  upgrade:\n    - run: ").append(quote(phase("upgrade",
                "if [ -e hang-upgrade ]; then sleep 30; fi; [ -e noop-upgrade ] || echo ${targetVersion} > version"))).append("\n");
        y.append("      timeout: 2s\n");
        y.append("  verify: ").append(quote(phase("verify", "true"))).append("\n");
        y.append("  unfence: ").append(quote(phase("unfence", "rm -f fence"))).append("\n");
        y.append("  switchover: ").append(quote(phase("switchover",
                "echo BACKUP > role; echo MASTER > ../${peer.name}/role"))).append("\n");
        y.append("  rollback: ").append(quote(phase("rollback", "cp snapshot version"))).append("\n");
        y.append("health:\n  interval: 50ms\n  timeout: 2s\n  node:\n    - name: service\n      command: ")
                .append(quote("if [ -e flap ]; then n=$(cat flap); if [ \"$n\" -gt 0 ]; then echo $((n-1)) > flap; "
                        + "echo flapping; exit 1; fi; fi; [ ! -e unhealthy ] && echo ok")).append("\n");
        y.append("policy:\n  timeouts:\n    command: 5s\n    switchover: 3s\n    reboot: 5s\n");
        y.append(policy.indent(2));
        y.append(extra);
        return y.toString();
    }

    /**
     * A phase command of the simulation for {@code commands.<phase>}: logs "node phase" (or "node phase peer" with
     * {@code logPeer}), fails when the node has {@code fail-<phase>}, then runs {@code action}; as a YAML scalar.
     */
    static String command(String phase, String action, boolean logPeer) {
        String logged = logPeer ? "echo \"${node.name} " + phase + " ${peer.name}\" >> ../cluster.log; "
                + "[ ! -e fail-" + phase + " ] || exit 3; " + action : phase(phase, action);
        return quote(logged);
    }

    /** The spec YAML with {@code phases} (lines of the commands mapping, e.g. "  leave: ...") added to its commands. */
    String specYaml(String policy, String extra, String phases) {
        return specYaml(policy, extra).replace("\ncommands:\n", "\ncommands:\n" + phases);
    }

    ClusterSpec spec(String policy, String extra) {
        return parse(specYaml(policy, extra));
    }

    ClusterSpec spec(String policy, String extra, String phases) {
        return parse(specYaml(policy, extra, phases));
    }

    static ClusterSpec parse(String yaml) {
        try {
            return SpecLoader.parse(yaml, "sim.yaml");
        } catch (io.haupgrade.spec.SpecException e) {
            throw new IllegalStateException("test spec invalid: " + e.errors(), e);
        }
    }

    /** The client's private key (OpenSSH format), for a process of its own. */
    byte[] clientKey() {
        return cluster.clientKey().openSshPrivateKey(null);
    }

    /** Sessions to the nodes with the cluster's client key, strict host keys. */
    NodeSessions sessions(ClusterSpec spec) {
        byte[] key = cluster.clientKey().openSshPrivateKey(null);
        return new SshNodeSessions(spec, new SshConnector(new SecretMasker()),
                (id, user, node) -> new PrivateKeyCredential(user, key, null), (presented, where) -> { });
    }

    RolloutContext context(ClusterSpec spec) {
        return new RolloutContext(sessions(spec), e -> {
            events.add(e);
            hook.on(e);
        }, null);
    }

    RolloutRequest request(ClusterSpec spec, Path runDir) {
        return request(spec, runDir, false);
    }

    RolloutRequest request(ClusterSpec spec, Path runDir, boolean breakLock) {
        return new RolloutRequest(spec, null, null, "run-" + runDir.getFileName(), runDir, "alice", "test-host", null,
                breakLock);
    }

    /**
     * Starts a run and drives it until it waits for an approval, then lets the process go (as Jenkins does at an
     * approval): the request that a later process must answer.
     */
    ApprovalRequest runUntilApproval(ClusterSpec spec, Path runDir) throws IOException {
        try (Rollout rollout = Rollout.start(request(spec, runDir), context(spec))) {
            StepOutcome outcome;
            do {
                outcome = rollout.next();
            } while (outcome instanceof StepOutcome.Continue);
            return ((StepOutcome.AwaitingApproval) outcome).request();
        }
    }

    /** True when {@code e} is the given command event on the node and phase. */
    static boolean command(RunEvent e, Class<? extends RunEvent> type, String node, String phase) {
        if (e instanceof RunEvent.CommandStarted c && type == RunEvent.CommandStarted.class) {
            return c.node().equals(node) && c.phase().equals(phase);
        }
        if (e instanceof RunEvent.CommandFinished c && type == RunEvent.CommandFinished.class) {
            return c.node().equals(node) && c.phase().equals(phase);
        }
        return false;
    }

    /** Lines of the shared log, "node phase", in the order the commands ran. */
    List<String> log() {
        try {
            return Files.readAllLines(base.resolve("cluster.log")).stream().filter(l -> !l.isBlank()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<String> log(String node) {
        List<String> out = new ArrayList<>();
        for (String line : log()) {
            if (line.startsWith(node + " ")) {
                out.add(line.substring(node.length() + 1));
            }
        }
        return out;
    }

    String read(String node, String file) {
        try {
            Path p = node(node).dir().resolve(file);
            return Files.exists(p) ? Files.readString(p).strip() : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void write(String node, String file, String text) {
        try {
            Files.writeString(node(node).dir().resolve(file), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    <T extends RunEvent> List<T> events(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    @Override
    public void close() {
        cluster.close();
    }
}
