package io.haupgrade.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haupgrade.embedded.EmbeddedSshNode;
import io.haupgrade.embedded.KeyType;
import io.haupgrade.embedded.SshKeyPair;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Reaching nodes: unreachable ones fail fast and clearly, retries are bounded, a bastion carries connections. */
@Timeout(60)
class ConnectionTest {
    @TempDir
    Path dir;
    private final SshKeyPair clientKey = SshKeyPair.generate(KeyType.ED25519);
    private final SshConnector connector = new SshConnector(new SecretMasker());
    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        connector.close();
        for (AutoCloseable resource : resources) {
            resource.close();
        }
    }

    private SshTarget.Builder unreachable(int port) {
        return SshTarget.builder("gone-1", "127.0.0.1", new PrivateKeyCredential("ops",
                        clientKey.openSshPrivateKey(null), null), KnownHostsPolicy.fromText("test", ""))
                .port(port).connectTimeout(Duration.ofSeconds(2)).connectRetries(0);
    }

    @Test
    void aClosedPortFailsAtOnceSayingConnectionRefused() throws Exception {
        long start = System.nanoTime();

        assertThatThrownBy(() -> connector.session(unreachable(CommandExecutionTest.freePort()).build()))
                .isInstanceOf(SshException.class)
                .hasMessageContaining("cannot connect to node gone-1 at 127.0.0.1:")
                .hasMessageContaining("connection refused");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void aPortThatAcceptsButNeverSpeaksSshFailsWithinTheConnectTimeout() throws Exception {
        ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        resources.add(silent);
        List<Socket> accepted = new ArrayList<>();
        Thread acceptor = new Thread(() -> {
            try {
                while (true) {
                    accepted.add(silent.accept());
                }
            } catch (IOException closed) {
                accepted.forEach(socket -> {
                    try {
                        socket.close();
                    } catch (IOException e) {
                        throw new AssertionError(e);
                    }
                });
            }
        });
        acceptor.start();
        long start = System.nanoTime();

        assertThatThrownBy(() -> connector.session(unreachable(silent.getLocalPort()).build()))
                .isInstanceOf(SshException.class)
                .hasMessageContaining("no SSH connection to node gone-1 at 127.0.0.1:" + silent.getLocalPort()
                        + " within PT2S");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(1900), Duration.ofMillis(3500));
        silent.close();
        acceptor.join();
    }

    @Test
    void retriesABoundedNumberOfTimesWithBackoff() throws Exception {
        long start = System.nanoTime();

        assertThatThrownBy(() -> connector.session(unreachable(CommandExecutionTest.freePort())
                        .connectRetries(2).retryBackoff(Duration.ofMillis(200)).build()))
                .isInstanceOf(SshException.class)
                .hasMessageContaining("connection refused (after 3 attempts)");
        // Waits of 200 ms and 400 ms between the three attempts.
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(600), Duration.ofSeconds(4));
    }

    @Test
    void aStoppedNodeIsUnreachableAndReachableAgainAfterItsRestart() throws Exception {
        EmbeddedSshNode node = EmbeddedSshNode.builder("n1", dir.resolve("n1")).authorizedKey(clientKey).start();
        resources.add(node);
        SshTarget target = EmbeddedTargets.target(node, clientKey, EmbeddedTargets.knownHostsOf(node)).build();
        NodeSession session = connector.session(target);
        assertThat(session.exec(RemoteCommand.of("echo up", Duration.ofSeconds(5)), OutputListener.NONE).stdout())
                .isEqualTo("up\n");

        node.stop();
        assertThatThrownBy(() -> session.exec(RemoteCommand.of("echo up", Duration.ofSeconds(5)), OutputListener.NONE))
                .isInstanceOf(SshException.class).hasMessageContaining("connection refused");

        node.start();
        assertThat(session.exec(RemoteCommand.of("echo back", Duration.ofSeconds(5)), OutputListener.NONE).stdout())
                .isEqualTo("back\n");
    }

    @Test
    void keepalivesDetectASilentlyDeadConnectionAndTheNextCommandReconnects() throws Exception {
        EmbeddedSshNode node = EmbeddedSshNode.builder("n1", dir.resolve("n1")).authorizedKey(clientKey).start();
        FreezableTunnel tunnel = new FreezableTunnel(node.port());
        resources.add(node);
        resources.add(tunnel);
        SshTarget target = SshTarget.builder("n1", "127.0.0.1",
                        new PrivateKeyCredential("ops", clientKey.openSshPrivateKey(null), null),
                        new PinnedFingerprint(node.hostKeyFingerprint()))
                .port(tunnel.port()).keepAlive(Duration.ofMillis(300)).connectTimeout(Duration.ofSeconds(5))
                .connectRetries(0).build();
        NodeSession session = connector.session(target);
        Path pidFile = node.dir().resolve("silent.pid");

        Thread freezer = new Thread(() -> {
            CommandExecutionTest.waitForFile(pidFile);
            tunnel.freeze();
        });
        freezer.start();
        long start = System.nanoTime();
        assertThatThrownBy(() -> session.exec(RemoteCommand.of("echo $$ > silent.pid; sleep 30",
                Duration.ofSeconds(40)), OutputListener.NONE))
                .isInstanceOf(SshException.class)
                .hasMessageContaining("lost while command `echo $$ > silent.pid; sleep 30` was running")
                .hasMessageContaining("outcome is unknown");
        freezer.join();
        // Three unanswered keepalives 300 ms apart, not the command's 40 s timeout.
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));

        tunnel.thaw();
        assertThat(session.exec(RemoteCommand.of("echo again", Duration.ofSeconds(10)), OutputListener.NONE).stdout())
                .isEqualTo("again\n");
    }

    @Test
    void connectsThroughAJumpHostWithBothHostKeysChecked() throws Exception {
        SshKeyPair bastionKey = SshKeyPair.generate(KeyType.ED25519);
        EmbeddedSshNode bastion = EmbeddedSshNode.builder("bastion", dir.resolve("bastion")).user("jump")
                .authorizedKey(bastionKey).allowTcpForwarding().start();
        EmbeddedSshNode inner = EmbeddedSshNode.builder("inner-1", dir.resolve("inner-1")).authorizedKey(clientKey)
                .start();
        resources.add(bastion);
        resources.add(inner);
        SshTarget jump = EmbeddedTargets.target(bastion, bastionKey, EmbeddedTargets.knownHostsOf(bastion)).build();
        SshTarget target = EmbeddedTargets.target(inner, clientKey, EmbeddedTargets.knownHostsOf(inner)).jump(jump)
                .build();

        CommandResult result = connector.session(target)
                .exec(RemoteCommand.of("echo \"$NODE_NAME\"", Duration.ofSeconds(10)), OutputListener.NONE);

        assertThat(result.stdout()).isEqualTo("inner-1\n");
        assertThat(bastion.activeConnections()).isEqualTo(1);

        SshTarget wrongInnerKey = EmbeddedTargets.target(inner, clientKey, EmbeddedTargets.knownHostsOf(bastion))
                .jump(jump).build();
        try (SshConnector fresh = new SshConnector(new SecretMasker())) {
            assertThatThrownBy(() -> fresh.session(new SshTarget("inner-2", wrongInnerKey.host(), wrongInnerKey.port(),
                    wrongInnerKey.credential(), wrongInnerKey.hostKeys(), jump, wrongInnerKey.connectTimeout(),
                    wrongInnerKey.keepAlive(), 0, wrongInnerKey.retryBackoff(), null)))
                    .isInstanceOf(SshException.class).hasMessageContaining("host key of node inner-2");
        }
    }

    @Test
    void aBastionThatRefusesForwardingSaysSo() throws Exception {
        SshKeyPair bastionKey = SshKeyPair.generate(KeyType.ED25519);
        EmbeddedSshNode bastion = EmbeddedSshNode.builder("bastion", dir.resolve("bastion")).authorizedKey(bastionKey)
                .start();
        EmbeddedSshNode inner = EmbeddedSshNode.builder("inner-1", dir.resolve("inner-1")).authorizedKey(clientKey)
                .start();
        resources.add(bastion);
        resources.add(inner);
        SshTarget jump = EmbeddedTargets.target(bastion, bastionKey, EmbeddedTargets.knownHostsOf(bastion)).build();

        assertThatThrownBy(() -> connector.session(EmbeddedTargets.target(inner, clientKey,
                EmbeddedTargets.knownHostsOf(inner)).jump(jump).build()))
                .isInstanceOf(SshException.class)
                .hasMessageContaining("node inner-1");
    }
}
