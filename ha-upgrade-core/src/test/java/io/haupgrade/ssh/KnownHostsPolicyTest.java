package io.haupgrade.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haupgrade.embedded.KeyType;
import io.haupgrade.embedded.SshKeyPair;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** The known_hosts format as OpenSSH writes it: ports, patterns, hashed names, markers, bad lines. */
class KnownHostsPolicyTest {
    private static final SshKeyPair KEY = SshKeyPair.generate(KeyType.ED25519);
    private static final SshKeyPair OTHER = SshKeyPair.generate(KeyType.ED25519);

    private static PresentedHostKey presented(String host, int port, SshKeyPair key) {
        String[] entry = key.publicKeyEntry().split(" ");
        return new PresentedHostKey("n1", host, port, HostKey.fromBase64(entry[0], entry[1]));
    }

    private static HostKeyPolicy.Verdict verify(String text, String host, int port, SshKeyPair key) {
        return KnownHostsPolicy.fromText("test", text).verify(presented(host, port, key));
    }

    @Test
    void matchesPlainNamesOnPort22AndBracketedNamesOnOtherPorts() {
        String line = "db1.example.net,10.0.0.5 " + KEY.publicKeyEntry();
        assertThat(verify(line, "10.0.0.5", 22, KEY)).isEqualTo(HostKeyPolicy.Verdict.TRUSTED);
        assertThat(verify(line, "10.0.0.5", 2222, KEY)).isEqualTo(HostKeyPolicy.Verdict.UNKNOWN);
        assertThat(verify("[10.0.0.5]:2222 " + KEY.publicKeyEntry(), "10.0.0.5", 2222, KEY))
                .isEqualTo(HostKeyPolicy.Verdict.TRUSTED);
        assertThat(verify(line, "10.0.0.5", 22, OTHER)).isEqualTo(HostKeyPolicy.Verdict.CHANGED);
    }

    @Test
    void understandsWildcardsAndNegation() {
        String line = "*.example.net,!evil.example.net " + KEY.publicKeyEntry();
        assertThat(verify(line, "db1.example.net", 22, KEY)).isEqualTo(HostKeyPolicy.Verdict.TRUSTED);
        assertThat(verify(line, "evil.example.net", 22, KEY)).isEqualTo(HostKeyPolicy.Verdict.UNKNOWN);
        assertThat(verify("db?.example.net " + KEY.publicKeyEntry(), "db10.example.net", 22, KEY))
                .isEqualTo(HostKeyPolicy.Verdict.UNKNOWN);
    }

    @Test
    void matchesHashedNames() throws Exception {
        byte[] salt = "0123456789abcdefghij".getBytes(StandardCharsets.US_ASCII);
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(salt, "HmacSHA1"));
        byte[] hash = mac.doFinal("[10.0.0.5]:2222".getBytes(StandardCharsets.US_ASCII));
        String line = "|1|" + Base64.getEncoder().encodeToString(salt) + "|" + Base64.getEncoder().encodeToString(hash)
                + " " + KEY.publicKeyEntry();

        assertThat(verify(line, "10.0.0.5", 2222, KEY)).isEqualTo(HostKeyPolicy.Verdict.TRUSTED);
        assertThat(verify(line, "10.0.0.6", 2222, KEY)).isEqualTo(HostKeyPolicy.Verdict.UNKNOWN);
    }

    @Test
    void aRevokedKeyIsNeverTrusted() {
        String text = "@revoked * " + KEY.publicKeyEntry() + "\nhost1 " + KEY.publicKeyEntry();
        assertThat(verify(text, "host1", 22, KEY)).isEqualTo(HostKeyPolicy.Verdict.CHANGED);
    }

    @Test
    void aKeyOfAnotherTypeOnRecordMakesTheKeyUnknownNotChanged() {
        SshKeyPair ecdsa = SshKeyPair.generate(KeyType.ECDSA_P256);
        KnownHostsPolicy policy = KnownHostsPolicy.fromText("test", "host1 " + ecdsa.publicKeyEntry());

        assertThat(policy.verify(presented("host1", 22, KEY))).isEqualTo(HostKeyPolicy.Verdict.UNKNOWN);
        assertThat(policy.knownKeyTypes("host1", 22)).containsExactly("ecdsa-sha2-nistp256");
    }

    @Test
    void aBadLineIsReportedWithItsSourceAndLineNumber() {
        assertThatThrownBy(() -> KnownHostsPolicy.fromText("spec cluster.yaml", "# comment\nhost1 ssh-ed25519"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("known hosts of spec cluster.yaml, line 2")
                .hasMessageContaining("ssh-keyscan");
        assertThatThrownBy(() -> KnownHostsPolicy.fromText("f", "host1 ssh-rsa " + KEY.publicKeyEntry().split(" ")[1]))
                .hasMessageContaining("line 1").hasMessageContaining("ssh-ed25519");
    }
}
