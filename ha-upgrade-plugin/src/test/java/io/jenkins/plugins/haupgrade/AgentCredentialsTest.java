package io.jenkins.plugins.haupgrade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haupgrade.spec.ClusterSpec;
import io.haupgrade.spec.SpecLoader;
import io.haupgrade.ssh.Credential;
import io.haupgrade.ssh.PasswordCredential;
import io.haupgrade.ssh.PrivateKeyCredential;
import io.haupgrade.ssh.SecretMasker;
import io.haupgrade.ssh.SshException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which credential each node gets, and that nothing about a credential shows but its id. */
class AgentCredentialsTest {
    private static final String KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\n"
            + "b3BlbnNzaC1rZXktdjEAAAAACmFlczI1Ni1jdHIAAAAGYmNyeXB0AAAAGAAAABD\n"
            + "-----END OPENSSH PRIVATE KEY-----\n";

    private static ClusterSpec spec() throws Exception {
        return SpecLoader.parse("""
                name: lb
                ssh:
                  credentialsId: from-file
                nodes:
                  - name: lb1
                    host: 192.0.2.11
                    credentialsId: own
                  - name: lb2
                    host: 192.0.2.12
                commands:
                  upgrade: checkupgrades -i
                """, "lb.yaml");
    }

    private static AgentCredentials credentials(String stepDefault) {
        return new AgentCredentials(Map.of(
                "own", AgentCredentials.Entry.password("root", "s3cret-own"),
                "step", AgentCredentials.Entry.key("ops", KEY, "pass phrase"),
                "from-file", AgentCredentials.Entry.password("admin", "s3cret-file")), stepDefault, null, null);
    }

    @Test
    void aNodesOwnIdWinsThenTheStepsThenTheFiles() throws Exception {
        ClusterSpec spec = spec();
        Credential lb1 = credentials("step").forSpec(spec).resolve("own", null, "lb1");
        Credential lb2 = credentials("step").forSpec(spec).resolve("from-file", null, "lb2");
        Credential lb2WithoutStep = credentials(null).forSpec(spec).resolve("from-file", null, "lb2");

        assertThat(lb1).isInstanceOf(PasswordCredential.class).extracting(Credential::username).isEqualTo("root");
        assertThat(lb2).isInstanceOf(PrivateKeyCredential.class).extracting(Credential::username).isEqualTo("ops");
        assertThat(lb2WithoutStep).extracting(Credential::username).isEqualTo("admin");
    }

    @Test
    void theSpecsUserWinsOverTheCredentialsUsername() throws Exception {
        Credential c = credentials("step").forSpec(spec()).resolve("from-file", "deploy", "lb2");
        assertThat(c.username()).isEqualTo("deploy");
    }

    @Test
    void anUnknownIdSaysWhichNodeAndHowToProvideOne() {
        AgentCredentials none = new AgentCredentials(Map.of(), null, null, null);
        assertThatThrownBy(() -> none.resolve("missing", null, "lb2")).isInstanceOf(SshException.class)
                .hasMessage("no Jenkins credentials 'missing' resolved for node lb2")
                .satisfies(e -> assertThat(((SshException) e).hint()).contains("credentialsId"));
    }

    @Test
    void everySecretValueIsMaskedAndNoneIsInTheTextForm() {
        AgentCredentials credentials = credentials("step");
        SecretMasker masker = new SecretMasker();
        credentials.registerWith(masker);

        String keyLine = KEY.lines().toList().get(1);
        assertThat(masker.mask("pw s3cret-own, phrase pass phrase, key " + keyLine))
                .isEqualTo("pw ****, phrase ****, key ****");
        assertThat(credentials.toString()).doesNotContain("s3cret").doesNotContain("pass phrase")
                .doesNotContain("b3Blbn").contains("own", "step", "from-file");
    }
}
