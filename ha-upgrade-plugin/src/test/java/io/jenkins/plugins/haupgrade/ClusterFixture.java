package io.jenkins.plugins.haupgrade;

import com.cloudbees.jenkins.plugins.sshcredentials.impl.BasicSSHUserPrivateKey;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import io.haupgrade.embedded.EmbeddedSshCluster;
import io.haupgrade.embedded.EmbeddedSshNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A real cluster for the plugin's tests: embedded SSH nodes (Apache MINA SSHD running /bin/sh in one directory per
 * node) from the ha-upgrade-embedded module. Each node has {@code version} and {@code role} files; every phase
 * command appends "node phase" to the shared {@code cluster.log}, so a test sees what reached which node, in order.
 * {@code secret} beside the nodes holds {@link #PASSPHRASE}, for commands that print it.
 */
final class ClusterFixture implements AutoCloseable {
    static final String FROM = "1.0";
    static final String TARGET = "2.0";
    static final String CREDENTIALS_ID = "cluster-key";
    static final String PASSPHRASE = "correct horse battery staple";

    private final Path base;
    private final EmbeddedSshCluster cluster;

    private ClusterFixture(Path base, int size) throws IOException {
        this.base = base;
        this.cluster = EmbeddedSshCluster.start(base, "n", size);
        for (EmbeddedSshNode node : cluster.nodes()) {
            Files.writeString(node.dir().resolve("version"), FROM + "\n");
            Files.writeString(node.dir().resolve("role"), (node.name().equals("n1") ? "primary" : "standby") + "\n");
        }
        Files.writeString(base.resolve("cluster.log"), "");
        // A node's command can print the passphrase (cat ../secret) without the command line holding it.
        Files.writeString(base.resolve("secret"), PASSPHRASE + "\n");
    }

    static ClusterFixture start(Path base, int size) throws IOException {
        return new ClusterFixture(base, size);
    }

    /** The nodes' client key in OpenSSH format, encrypted with {@link #PASSPHRASE}. */
    String privateKey() {
        return new String(cluster.clientKey().openSshPrivateKey(PASSPHRASE), StandardCharsets.US_ASCII);
    }

    String user() {
        return cluster.nodes().get(0).user();
    }

    /** Stores the nodes' client key, encrypted with {@link #PASSPHRASE}, as Jenkins SSH credentials. */
    void addCredentials() throws IOException {
        String key = privateKey();
        SystemCredentialsProvider store = SystemCredentialsProvider.getInstance();
        store.getCredentials().add(new BasicSSHUserPrivateKey(CredentialsScope.GLOBAL, CREDENTIALS_ID,
                cluster.nodes().get(0).user(), new BasicSSHUserPrivateKey.DirectEntryPrivateKeySource(key), PASSPHRASE,
                "embedded cluster"));
        store.save();
    }

    /**
     * The cluster file; {@code policy} is YAML under {@code policy:}, {@code extra} is appended at the top level.
     * No credentials id in the file: the step's {@code credentialsId} is the default for every node.
     */
    String yaml(String policy, String extra) {
        StringBuilder y = new StringBuilder();
        y.append("name: sim\n");
        y.append("targetVersion: \"").append(TARGET).append("\"\n");
        y.append("ssh:\n  user: ").append(cluster.nodes().get(0).user()).append("\n");
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
        }
        y.append("discovery:\n  role:\n    command: cat role\n    primaryPattern: primary\n");
        y.append("  version:\n    command: cat version\n");
        y.append("commands:\n");
        y.append("  snapshot: ").append(phase("snapshot", "cp version snapshot")).append("\n");
        y.append("  fence: ").append(phase("fence", "echo fenced > fence")).append("\n");
        y.append("  upgrade: ").append(phase("upgrade",
                "if [ -e slow-upgrade ]; then sleep 3; fi; echo ${targetVersion} > version")).append("\n");
        y.append("  verify: ").append(phase("verify", "true")).append("\n");
        y.append("  unfence: ").append(phase("unfence", "rm -f fence")).append("\n");
        y.append("  switchover: ").append(phase("switchover",
                "echo standby > role; echo primary > ../${peer.name}/role")).append("\n");
        y.append("  rollback: ").append(phase("rollback", "cp snapshot version")).append("\n");
        y.append("health:\n  interval: 100ms\n  timeout: 5s\n  node:\n    - name: service\n      command: ")
                .append("'[ ! -e unhealthy ] && echo ok'\n");
        y.append("policy:\n  timeouts:\n    command: 10s\n    switchover: 5s\n");
        y.append(policy.indent(2));
        y.append(extra);
        return y.toString();
    }

    private static String phase(String phase, String action) {
        String command = "echo \"${node.name} " + phase + "\" >> ../cluster.log; [ ! -e fail-" + phase
                + " ] || exit 3; " + action;
        return "'" + command.replace("'", "''") + "'";
    }

    EmbeddedSshNode node(String name) {
        return cluster.node(name);
    }

    String read(String node, String file) {
        try {
            Path p = node(node).dir().resolve(file);
            return Files.exists(p) ? Files.readString(p).strip() : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void touch(String node, String file) throws IOException {
        Files.writeString(node(node).dir().resolve(file), "");
    }

    /** Lines of the shared log, "node phase", in the order the commands ran. */
    List<String> log() {
        try {
            List<String> lines = new ArrayList<>();
            for (String line : Files.readAllLines(base.resolve("cluster.log"))) {
                if (!line.isBlank()) {
                    lines.add(line);
                }
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        cluster.close();
    }
}
