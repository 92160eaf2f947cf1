package io.haupgrade.embedded;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * N embedded nodes sharing one client key, each with its own host key and directory. {@link #knownHosts()} is
 * the known_hosts text that trusts exactly these nodes.
 */
public final class EmbeddedSshCluster implements AutoCloseable {
    private final SshKeyPair clientKey;
    private final List<EmbeddedSshNode> nodes;

    private EmbeddedSshCluster(SshKeyPair clientKey, List<EmbeddedSshNode> nodes) {
        this.clientKey = clientKey;
        this.nodes = Collections.unmodifiableList(nodes);
    }

    /** Starts {@code count} nodes named {@code <prefix>1..<prefix>count}, in directories under {@code baseDir}. */
    public static EmbeddedSshCluster start(Path baseDir, String prefix, int count) {
        return start(baseDir, prefix, count, UnaryOperator.identity());
    }

    /** Like {@link #start(Path, String, int)}, letting {@code options} adjust each node's builder. */
    public static EmbeddedSshCluster start(Path baseDir, String prefix, int count,
            UnaryOperator<EmbeddedSshNode.Builder> options) {
        SshKeyPair clientKey = SshKeyPair.generate(KeyType.ED25519);
        List<EmbeddedSshNode> nodes = new ArrayList<>(count);
        try {
            for (int i = 1; i <= count; i++) {
                String name = prefix + i;
                nodes.add(options.apply(EmbeddedSshNode.builder(name, baseDir.resolve(name)).authorizedKey(clientKey))
                        .start());
            }
        } catch (RuntimeException e) {
            nodes.forEach(EmbeddedSshNode::close);
            throw e;
        }
        return new EmbeddedSshCluster(clientKey, nodes);
    }

    /** The key every node accepts; {@link SshKeyPair#openSshPrivateKey(String)} gives the client its private key. */
    public SshKeyPair clientKey() {
        return clientKey;
    }

    public List<EmbeddedSshNode> nodes() {
        return nodes;
    }

    public EmbeddedSshNode node(String name) {
        return nodes.stream().filter(node -> node.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no node named " + name + " in this cluster"));
    }

    /** known_hosts lines trusting exactly the host keys of these nodes. */
    public String knownHosts() {
        return nodes.stream().map(EmbeddedSshNode::knownHostsLine).collect(Collectors.joining("\n", "", "\n"));
    }

    @Override
    public void close() {
        nodes.forEach(EmbeddedSshNode::close);
    }
}
