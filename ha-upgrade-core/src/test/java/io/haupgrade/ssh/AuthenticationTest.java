package io.haupgrade.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.jcraft.jsch.JSch;
import com.jcraft.jsch.KeyPair;
import io.haupgrade.embedded.EmbeddedSshNode;
import io.haupgrade.embedded.KeyType;
import io.haupgrade.embedded.SshKeyPair;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Logins by key (each type, OpenSSH and PEM format, with passphrase) and by password, and how refusals read. */
@Timeout(60)
class AuthenticationTest {
    private static final String PASSWORD = "correct horse battery staple";

    @TempDir
    Path dir;
    private final SecretMasker masker = new SecretMasker();
    private final SshConnector connector = new SshConnector(masker);
    private EmbeddedSshNode node;

    @AfterEach
    void close() {
        connector.close();
        if (node != null) {
            node.close();
        }
    }

    private EmbeddedSshNode start(EmbeddedSshNode.Builder builder) {
        node = builder.password(PASSWORD).start();
        return node;
    }

    private SshTarget target(Credential credential) {
        return SshTarget.builder(node.name(), node.host(), credential, EmbeddedTargets.knownHostsOf(node))
                .port(node.port()).connectTimeout(Duration.ofSeconds(5)).connectRetries(0).build();
    }

    private String whoAmI(Credential credential) throws SshException {
        return connector.session(target(credential))
                .exec(RemoteCommand.of("echo \"$USER\"", Duration.ofSeconds(10)), OutputListener.NONE).stdout();
    }

    @ParameterizedTest
    @EnumSource(KeyType.class)
    void logsInWithAnEncryptedOpenSshKeyOfEachType(KeyType type) throws Exception {
        SshKeyPair key = SshKeyPair.generate(type);
        start(EmbeddedSshNode.builder("n1", dir.resolve("n1")).hostKeyType(type).authorizedKey(key));

        Credential credential = new PrivateKeyCredential("ops", key.openSshPrivateKey("key passphrase"),
                Secret.of("key passphrase"));

        assertThat(new String(((PrivateKeyCredential) credential).privateKey(), StandardCharsets.US_ASCII))
                .startsWith("-----BEGIN OPENSSH PRIVATE KEY-----");
        assertThat(whoAmI(credential)).isEqualTo("ops\n");
    }

    @ParameterizedTest
    @EnumSource(value = PemKey.class)
    void logsInWithAnEncryptedPemKey(PemKey pemKey) throws Exception {
        KeyPair key = KeyPair.genKeyPair(new JSch(), pemKey.jschType, pemKey.bits);
        ByteArrayOutputStream pem = new ByteArrayOutputStream();
        key.writePrivateKey(pem, "pem passphrase".getBytes(StandardCharsets.UTF_8));
        String authorized = pemKey.sshName + " " + Base64.getEncoder().encodeToString(key.getPublicKeyBlob());
        start(EmbeddedSshNode.builder("n1", dir.resolve("n1")).authorizedKey(authorized));

        assertThat(pem.toString(StandardCharsets.US_ASCII)).contains("ENCRYPTED").doesNotContain("OPENSSH");
        assertThat(whoAmI(new PrivateKeyCredential("ops", pem.toByteArray(), Secret.of("pem passphrase"))))
                .isEqualTo("ops\n");
    }

    enum PemKey {
        RSA(KeyPair.RSA, 2048, "ssh-rsa"),
        ECDSA(KeyPair.ECDSA, 256, "ecdsa-sha2-nistp256");

        final int jschType;
        final int bits;
        final String sshName;

        PemKey(int jschType, int bits, String sshName) {
            this.jschType = jschType;
            this.bits = bits;
            this.sshName = sshName;
        }
    }

    @Test
    void logsInWithAPassword() throws Exception {
        start(EmbeddedSshNode.builder("n1", dir.resolve("n1")));

        assertThat(whoAmI(new PasswordCredential("ops", Secret.of(PASSWORD)))).isEqualTo("ops\n");
    }

    @Test
    void aWrongPasswordIsRefusedWithoutShowingIt() {
        start(EmbeddedSshNode.builder("n1", dir.resolve("n1")));

        assertThatThrownBy(() -> whoAmI(new PasswordCredential("ops", Secret.of("wrong-password-42"))))
                .isInstanceOf(SshException.class)
                .hasMessageContaining("node n1 (127.0.0.1:" + node.port() + ") refused login as ops by password")
                .hasMessageNotContaining("wrong-password-42")
                .satisfies(e -> assertThat(((SshException) e).hint()).contains("check the password"));
    }

    @Test
    void aKeyTheNodeDoesNotKnowIsRefused() {
        start(EmbeddedSshNode.builder("n1", dir.resolve("n1")).authorizedKey(SshKeyPair.generate(KeyType.ED25519)));
        SshKeyPair stranger = SshKeyPair.generate(KeyType.ED25519);

        assertThatThrownBy(() -> whoAmI(new PrivateKeyCredential("ops", stranger.openSshPrivateKey(null), null)))
                .isInstanceOf(SshException.class)
                .hasMessageContaining("refused login as ops by public key")
                .hasMessageContaining("authorized_keys");
    }

    @Test
    void aWrongPassphraseSaysTheKeyCannotBeUsed() {
        SshKeyPair key = SshKeyPair.generate(KeyType.ED25519);
        start(EmbeddedSshNode.builder("n1", dir.resolve("n1")).authorizedKey(key));

        assertThatThrownBy(() -> whoAmI(new PrivateKeyCredential("ops", key.openSshPrivateKey("right"),
                Secret.of("not-the-passphrase"))))
                .isInstanceOf(SshException.class)
                .hasMessageContaining("private key for node n1")
                .hasMessageNotContaining("not-the-passphrase");
    }

    @Test
    void credentialsAndSecretsNeverShowInToString() {
        SshKeyPair key = SshKeyPair.generate(KeyType.ED25519);
        PrivateKeyCredential credential = new PrivateKeyCredential("ops", key.openSshPrivateKey("pp-123"),
                Secret.of("pp-123"));
        SshTarget target = SshTarget.builder("n1", "127.0.0.1", credential, KnownHostsPolicy.fromText("t", ""))
                .sudoPassword(Secret.of("sudo-456")).build();

        assertThat(target.toString()).doesNotContain("pp-123").doesNotContain("sudo-456").contains("****");
        assertThat(new PasswordCredential("ops", Secret.of("pw-789")).toString()).doesNotContain("pw-789");
        String keyBody = new String(credential.privateKey(), StandardCharsets.US_ASCII).lines().skip(1).findFirst()
                .orElseThrow();
        masker.register(credential);
        assertThat(masker.mask("leaked: " + keyBody)).isEqualTo("leaked: ****");
    }
}
