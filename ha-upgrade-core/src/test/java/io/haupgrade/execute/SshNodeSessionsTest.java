package io.haupgrade.execute;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haupgrade.spec.ClusterSpec;
import io.haupgrade.ssh.PrivateKeyCredential;
import io.haupgrade.ssh.SecretMasker;
import io.haupgrade.ssh.SshConnector;
import io.haupgrade.ssh.SshException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class SshNodeSessionsTest {
    @TempDir
    Path tmp;

    /** The Jenkins plugin fills ssh.knownHosts.text from a credential: a refusal must send people there. */
    @Test
    void aChangedHostKeyIsBlamedOnWhereTheKnownHostsTextCameFrom() throws Exception {
        try (SimCluster sim = SimCluster.start(tmp, 2)) {
            // Each node's entry holds the other node's key: both look reinstalled.
            List<String> entries = new ArrayList<>();
            List<String> yaml = new ArrayList<>(sim.specYaml("", "").lines().toList());
            for (String line : yaml) {
                if (line.startsWith("      [")) {
                    entries.add(line);
                }
            }
            String first = entries.get(0);
            String second = entries.get(1);
            String swapped = String.join("\n", yaml)
                    .replace(first, hostOf(first) + keyOf(second))
                    .replace(second, hostOf(second) + keyOf(first));
            ClusterSpec spec = SimCluster.parse(swapped + "\n");
            byte[] key = sim.clientKey();

            try (SshNodeSessions sessions = new SshNodeSessions(spec, new SshConnector(new SecretMasker()),
                    (id, user, node) -> new PrivateKeyCredential(user, key, null), (presented, where) -> { },
                    "the secret file credentials 'kh'")) {
                assertThatThrownBy(() -> sessions.session("n1")).isInstanceOf(SshException.class)
                        .hasMessageContaining("the secret file credentials 'kh' holds another key")
                        .hasMessageNotContaining("ssh.knownHosts.text");
            }
        }
    }

    private static String hostOf(String entry) {
        return entry.substring(0, entry.indexOf(' ', 6) + 1);
    }

    private static String keyOf(String entry) {
        return entry.substring(entry.indexOf(' ', 6) + 1);
    }
}
