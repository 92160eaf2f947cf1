package io.haupgrade.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haupgrade.embedded.EmbeddedSshNode;
import io.haupgrade.embedded.KeyType;
import io.haupgrade.embedded.SshKeyPair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Strict host key checking against real servers: unknown and changed keys are refused with what to do. */
@Timeout(60)
class HostKeyVerificationTest {
    @TempDir
    Path dir;
    private final SshKeyPair clientKey = SshKeyPair.generate(KeyType.ED25519);
    private final SshConnector connector = new SshConnector(new SecretMasker());
    private EmbeddedSshNode node;
    private EmbeddedSshNode impostor;

    @BeforeEach
    void startNode() {
        node = EmbeddedSshNode.builder("db-1", dir.resolve("db-1")).hostKeyType(KeyType.ECDSA_P256)
                .authorizedKey(clientKey).start();
    }

    @AfterEach
    void stop() {
        connector.close();
        node.close();
        if (impostor != null) {
            impostor.close();
        }
    }

    /** Each run connects anew (a connector reuses a node's verified connection, whatever the policy). */
    private String run(HostKeyPolicy policy) throws SshException {
        try (SshConnector fresh = new SshConnector(new SecretMasker())) {
            return fresh.session(EmbeddedTargets.target(node, clientKey, policy).build())
                    .exec(RemoteCommand.of("echo ok", Duration.ofSeconds(10)), OutputListener.NONE).stdout();
        }
    }

    @Test
    void trustsTheKeyOnRecord() throws Exception {
        assertThat(run(EmbeddedTargets.knownHostsOf(node))).isEqualTo("ok\n");
    }

    @Test
    void refusesAnUnknownKeyNamingNodeHostTypeFingerprintAndHowToTrustIt() {
        assertThatThrownBy(() -> run(KnownHostsPolicy.fromText("spec cluster.yaml", "")))
                .isInstanceOf(SshException.class)
                .hasMessageContaining("host key of node db-1 (127.0.0.1:" + node.port() + ") is unknown")
                .hasMessageContaining("ecdsa-sha2-nistp256 " + node.hostKeyFingerprint())
                .hasMessageContaining("known hosts of spec cluster.yaml")
                .hasMessageContaining("add ecdsa-sha2-nistp256 key")
                .hasMessageContaining(node.knownHostsLine());
    }

    @Test
    void refusesAChangedKeyAsAPossibleManInTheMiddle() {
        String otherKey = SshKeyPair.generate(KeyType.ECDSA_P256).publicKeyEntry();
        KnownHostsPolicy stale = KnownHostsPolicy.fromText("spec", "# old\n[127.0.0.1]:" + node.port() + " " + otherKey);

        assertThatThrownBy(() -> run(stale))
                .isInstanceOf(SshException.class)
                .hasMessageContaining("host key of node db-1 (127.0.0.1:" + node.port() + ") has CHANGED")
                .hasMessageContaining(node.hostKeyFingerprint())
                .hasMessageContaining("line 2")
                .hasMessageContaining("someone is in between");
    }

    @Test
    void checksAPinnedFingerprint() throws Exception {
        assertThat(run(new PinnedFingerprint(node.hostKeyFingerprint()))).isEqualTo("ok\n");

        String otherFingerprint = SshKeyPair.generate(KeyType.ED25519).sha256Fingerprint();
        assertThatThrownBy(() -> run(new PinnedFingerprint(otherFingerprint)))
                .isInstanceOf(SshException.class)
                .hasMessageContaining("has CHANGED")
                .hasMessageContaining("pinned fingerprint for node db-1 is " + otherFingerprint);
        assertThatThrownBy(() -> new PinnedFingerprint("MD5:aa:bb")).hasMessageContaining("SHA256:");
    }

    @Test
    void aPinAndKnownHostsMustBothAgree() throws Exception {
        HostKeyPolicy both = EmbeddedTargets.knownHostsOf(node).and(new PinnedFingerprint(node.hostKeyFingerprint()));
        assertThat(run(both)).isEqualTo("ok\n");

        HostKeyPolicy unknownButPinned = KnownHostsPolicy.fromText("spec", "")
                .and(new PinnedFingerprint(node.hostKeyFingerprint()));
        assertThatThrownBy(() -> run(unknownButPinned)).hasMessageContaining("is unknown");
    }

    @Test
    void acceptNewRecordsAndReportsANewKeyButStillRefusesAChangedOne() throws Exception {
        Path knownHosts = dir.resolve("known_hosts");
        List<String> reports = new ArrayList<>();
        AcceptNewHostKeys acceptNew = new AcceptNewHostKeys(KnownHostsPolicy.fromFile(knownHosts),
                (presented, where) -> reports.add(presented + " recorded in " + where));

        assertThat(run(acceptNew)).isEqualTo("ok\n");

        assertThat(reports).containsExactly("node db-1 (127.0.0.1:" + node.port() + ") ecdsa-sha2-nistp256 key "
                + node.hostKeyFingerprint() + " recorded in known_hosts file " + knownHosts);
        assertThat(Files.readString(knownHosts)).isEqualTo(node.knownHostsLine() + "\n");

        // The node is replaced by another server on the same address: its key differs from the recorded one.
        connector.close();
        int port = node.port();
        node.stop();
        impostor = EmbeddedSshNode.builder("db-1", dir.resolve("impostor")).port(port).hostKeyType(KeyType.ECDSA_P256)
                .authorizedKey(clientKey).start();
        SshConnector second = new SshConnector(new SecretMasker());
        try {
            AcceptNewHostKeys reloaded = new AcceptNewHostKeys(KnownHostsPolicy.fromFile(knownHosts),
                    (presented, where) -> reports.add("unexpected " + presented));
            assertThatThrownBy(() -> second.session(EmbeddedTargets.target(impostor, clientKey, reloaded).build()))
                    .isInstanceOf(SshException.class)
                    .hasMessageContaining("has CHANGED")
                    .hasMessageContaining("ssh-keygen -R '[127.0.0.1]:" + port + "' -f " + knownHosts);
            assertThat(reports).hasSize(1);
        } finally {
            second.close();
        }
    }

    @Test
    void acceptNewRefusesAKeyOfANewTypeForAnAddressWithKeysOnRecord() throws Exception {
        Path knownHosts = dir.resolve("known_hosts");
        Files.writeString(knownHosts, "[127.0.0.1]:" + node.port() + " " + SshKeyPair.generate(KeyType.ED25519)
                .publicKeyEntry() + "\n");
        List<PresentedHostKey> accepted = new ArrayList<>();

        assertThatThrownBy(() -> run(new AcceptNewHostKeys(KnownHostsPolicy.fromFile(knownHosts),
                (presented, where) -> accepted.add(presented))))
                .isInstanceOf(SshException.class)
                .hasMessageContaining("is unknown")
                .hasMessageContaining("has only ssh-ed25519 keys");
        assertThat(accepted).isEmpty();
    }

    @Test
    void theNodeKeepsItsHostKeyAcrossARestart() throws Exception {
        KnownHostsPolicy knownHosts = EmbeddedTargets.knownHostsOf(node);
        assertThat(run(knownHosts)).isEqualTo("ok\n");

        node.stop();
        node.start();

        assertThat(run(knownHosts)).isEqualTo("ok\n");
    }
}
