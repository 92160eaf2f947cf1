package io.haupgrade.ssh;

import io.haupgrade.embedded.EmbeddedSshCluster;
import io.haupgrade.embedded.EmbeddedSshNode;
import io.haupgrade.embedded.SshKeyPair;
import java.time.Duration;

/** How a test reaches embedded nodes: the cluster's client key, strict host keys from the cluster's known_hosts. */
final class EmbeddedTargets {
    private EmbeddedTargets() {
    }

    static SshTarget.Builder target(EmbeddedSshCluster cluster, EmbeddedSshNode node) {
        return target(node, cluster.clientKey(), KnownHostsPolicy.fromText("the test cluster", cluster.knownHosts()));
    }

    static SshTarget.Builder target(EmbeddedSshNode node, SshKeyPair clientKey, HostKeyPolicy hostKeys) {
        return SshTarget.builder(node.name(), node.host(),
                        new PrivateKeyCredential(node.user(), clientKey.openSshPrivateKey(null), null), hostKeys)
                .port(node.port())
                .connectTimeout(Duration.ofSeconds(5))
                .connectRetries(0);
    }

    static KnownHostsPolicy knownHostsOf(EmbeddedSshNode... nodes) {
        StringBuilder text = new StringBuilder();
        for (EmbeddedSshNode node : nodes) {
            text.append(node.knownHostsLine()).append('\n');
        }
        return KnownHostsPolicy.fromText("the test nodes", text.toString());
    }
}
