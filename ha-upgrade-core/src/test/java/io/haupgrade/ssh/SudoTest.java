package io.haupgrade.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.haupgrade.embedded.EmbeddedSshCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * sudo through the real sudo binary on embedded nodes (the tests run as root, so sudo never asks; the OpenSSH
 * tier covers a password fed on stdin for a user that needs one).
 */
@Timeout(60)
class SudoTest {
    @TempDir
    Path dir;
    private EmbeddedSshCluster cluster;
    private SshConnector connector;

    @BeforeEach
    void start() {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/sudo")), "sudo is not installed (apt-get install sudo)");
        cluster = EmbeddedSshCluster.start(dir, "n", 1);
        connector = new SshConnector(new SecretMasker());
    }

    @AfterEach
    void stop() {
        if (connector != null) {
            connector.close();
            cluster.close();
        }
    }

    @Test
    void runsTheCommandThroughSudoWithItsEnvironmentAndDirectory() throws Exception {
        NodeSession session = connector.session(EmbeddedTargets.target(cluster, cluster.nodes().get(0)).build());
        RemoteCommand command = new RemoteCommand("echo \"$SUDO_COMMAND|$(id -u)|$RELEASE|$(pwd)\"",
                Duration.ofSeconds(10), true, Map.of("RELEASE", "2.4.1; reboot"), "/tmp", false);

        CommandResult result = session.exec(command, OutputListener.NONE);

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).startsWith("/bin/sh -c ").endsWith("|0|2.4.1; reboot|/tmp\n");
    }

    @Test
    void aTimedOutSudoCommandIsKilledWithSudo() throws Exception {
        NodeSession session = connector.session(EmbeddedTargets.target(cluster, cluster.nodes().get(0)).build());
        RemoteCommand hanging = new RemoteCommand("echo $$ > sudo.pid; sleep 60", Duration.ofSeconds(1), true, null,
                null, false);

        CommandResult result = session.exec(hanging, OutputListener.NONE);

        assertThat(result.timedOut()).isTrue();
        assertThat(result.stderr()).contains("killed (SIGTERM)");
        CommandResult check = session.exec(RemoteCommand.of("s=$(cat /proc/$(cat sudo.pid)/stat 2>/dev/null);"
                + " s=${s##*) }; if [ -n \"$s\" ] && [ \"${s%% *}\" != Z ]; then echo alive; else echo gone; fi",
                Duration.ofSeconds(10)), OutputListener.NONE);
        assertThat(check.stdout()).isEqualTo("gone\n");
    }
}
