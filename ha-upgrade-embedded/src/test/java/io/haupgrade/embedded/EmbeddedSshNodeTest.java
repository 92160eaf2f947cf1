package io.haupgrade.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The embedded node seen through an independent client (MINA's), so the node is tested on its own. */
@Timeout(30)
class EmbeddedSshNodeTest {
    @TempDir
    Path dir;
    private final SshKeyPair clientKey = SshKeyPair.generate(KeyType.ED25519);
    private SshClient client;
    private EmbeddedSshNode node;

    @BeforeEach
    void startClient() {
        client = SshClient.setUpDefaultClient();
        client.start();
    }

    @AfterEach
    void stopAll() throws IOException {
        if (node != null) {
            node.close();
        }
        client.stop();
    }

    @Test
    void runsRealShellCommandsInTheNodeDirectoryWithItsEnvironment() throws Exception {
        node = EmbeddedSshNode.builder("n1", dir.resolve("n1")).hostKeyType(KeyType.ECDSA_P256)
                .authorizedKey(clientKey).start();

        Output output = exec("echo \"$NODE_NAME\"; pwd; echo oops >&2; exit 3");

        assertThat(output.stdout).isEqualTo("n1\n" + node.dir() + "\n");
        assertThat(output.stderr).isEqualTo("oops\n");
        assertThat(output.exitCode).isEqualTo(3);
        assertThat(node.knownHostsLine()).startsWith("[127.0.0.1]:" + node.port() + " ecdsa-sha2-nistp256 AAAA");
    }

    @Test
    void refusesAKeyThatIsNotAuthorizedButTakesThePassword() throws Exception {
        node = EmbeddedSshNode.builder("n1", dir.resolve("n1")).password("pw-1").start();

        try (ClientSession session = connect()) {
            session.addPublicKeyIdentity(clientKey.keyPair());
            assertThatThrownBy(() -> session.auth().verify(Duration.ofSeconds(5))).isInstanceOf(Exception.class);
        }
        try (ClientSession session = connect()) {
            session.addPasswordIdentity("pw-1");
            session.auth().verify(Duration.ofSeconds(5));
            assertThat(session.isAuthenticated()).isTrue();
        }
    }

    @Test
    void stopsAndComesBackOnTheSamePortWithTheSameHostKey() throws Exception {
        node = EmbeddedSshNode.builder("n1", dir.resolve("n1")).authorizedKey(clientKey).start();
        int port = node.port();
        String knownHost = node.knownHostsLine();

        node.stop();
        assertThat(node.isRunning()).isFalse();
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);

        node.start();
        assertThat(node.port()).isEqualTo(port);
        assertThat(node.knownHostsLine()).isEqualTo(knownHost);
        assertThat(exec("echo back").stdout).isEqualTo("back\n");
    }

    private ClientSession connect() throws IOException {
        client.setServerKeyVerifier((session, address, key) -> KeyUtils.compareKeys(key, node.hostKey().publicKey()));
        return client.connect(node.user(), node.host(), node.port()).verify(Duration.ofSeconds(5)).getSession();
    }

    private Output exec(String command) throws IOException {
        try (ClientSession session = connect()) {
            session.addPublicKeyIdentity(clientKey.keyPair());
            session.auth().verify(Duration.ofSeconds(5));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            try (ChannelExec channel = session.createExecChannel(command)) {
                channel.setOut(out);
                channel.setErr(err);
                channel.open().verify(Duration.ofSeconds(5));
                channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), Duration.ofSeconds(10));
                return new Output(out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8),
                        channel.getExitStatus());
            }
        }
    }

    private record Output(String stdout, String stderr, Integer exitCode) {
    }
}
