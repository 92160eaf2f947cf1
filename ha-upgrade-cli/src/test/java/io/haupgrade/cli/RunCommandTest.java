package io.haupgrade.cli;

import static io.haupgrade.cli.CliResult.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.haupgrade.embedded.EmbeddedSshCluster;
import io.haupgrade.embedded.EmbeddedSshNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code run} and {@code gate} against two embedded SSH nodes, in-process, with their exit codes. */
@Timeout(90)
class RunCommandTest {
    @TempDir
    Path dir;
    EmbeddedSshCluster cluster;
    Path spec;
    Path key;

    @BeforeEach
    void start() throws Exception {
        cluster = EmbeddedSshCluster.start(dir.resolve("nodes"), "lb", 2);
        StringBuilder y = new StringBuilder("name: lb\ntargetVersion: \"2.0\"\nssh:\n  user: ")
                .append(cluster.nodes().get(0).user()).append("\n  knownHosts:\n    text: |\n");
        for (String line : cluster.knownHosts().split("\n")) {
            y.append("      ").append(line).append('\n');
        }
        y.append("nodes:\n");
        for (EmbeddedSshNode n : cluster.nodes()) {
            Files.writeString(n.dir().resolve("version"), "1.0\n");
            Files.writeString(n.dir().resolve("role"), n.name().equals("lb1") ? "primary\n" : "standby\n");
            y.append("  - name: ").append(n.name()).append("\n    host: ").append(n.host()).append("\n    port: ")
                    .append(n.port()).append("\n    role: ").append(n.name().equals("lb1") ? "primary" : "standby")
                    .append('\n');
        }
        y.append("""
                discovery:
                  role: {command: cat role, primaryPattern: primary}
                  version: {command: cat version}
                commands:
                  fence: echo fenced > fence
                  upgrade: echo ${targetVersion} > version
                  unfence: rm -f fence
                  switchover: echo standby > role; echo primary > ../${peer.name}/role
                health:
                  interval: 50ms
                  timeout: 2s
                  node:
                    - name: up
                      command: "[ ! -e down ]"
                """);
        spec = dir.resolve("lb.yaml");
        Files.writeString(spec, y.toString());
        key = dir.resolve("id_ed25519");
        Files.write(key, cluster.clientKey().openSshPrivateKey(null));
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void dryRunPrintsTheExactCommandsPerNodeAndTouchesNothing() throws Exception {
        CliResult r = run("run", spec.toString(), "--dry-run");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("lb2 $ echo 2.0 > version").contains("lb1 $ echo standby > role; echo primary > ../lb2/role");
        assertThat(r.out().indexOf("lb2 $ echo fenced")).isLessThan(r.out().indexOf("lb1 $ echo fenced"));
        assertThat(cluster.node("lb1").dir().resolve("fence")).doesNotExist();
    }

    @Test
    void gateReportsEachNodeAndCheckAndExitsOneWhenRed() throws Exception {
        CliResult green = run("gate", spec.toString(), "--identity", key.toString());
        assertThat(green.exitCode()).as(green.out() + green.err()).isZero();
        assertThat(green.out()).contains("HEALTHY").contains("lb1 (primary, 1.0)").contains("ok   up");

        Files.writeString(cluster.node("lb2").dir().resolve("down"), "");
        CliResult red = run("gate", spec.toString(), "--identity", key.toString(), "--timeout", "200ms");
        assertThat(red.exitCode()).isEqualTo(ExitCodes.RUN_FAILED);
        assertThat(red.out()).contains("NOT HEALTHY").contains("FAIL up");
    }

    @Test
    void runUpgradesForRealThenALockedClusterIsRefusedWithExitThree() throws Exception {
        Path runDir = dir.resolve("run1");
        CliResult r = run("run", spec.toString(), "--identity", key.toString(), "--yes", "--run-dir", runDir.toString());

        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        assertThat(Files.readString(cluster.node("lb1").dir().resolve("version")).strip()).isEqualTo("2.0");
        assertThat(r.out()).containsPattern("lb2 +upgrade +started").containsPattern("lb2 +upgrade +ok ")
                .contains("run succeeded");
        assertThat(runDir.resolve("report.json")).exists();
        assertThat(runDir.resolve("report.html")).exists();

        // Another run holds the lock: refused, naming it.
        Path lock = cluster.node("lb1").dir().resolve(".ha-upgrade/locks/lb");
        Files.createDirectories(lock);
        Files.writeString(lock.resolve("owner"), "owner=carol\nrun=other\nhost=ops2\nacquired=1\nexpires=9999999999\n");
        CliResult refused = run("run", spec.toString(), "--identity", key.toString(), "--yes", "--target-version", "3.0",
                "--run-dir", dir.resolve("run2").toString());
        assertThat(refused.exitCode()).isEqualTo(ExitCodes.REFUSED);
        assertThat(refused.out()).contains("carol@ops2 (run other");

        // Resuming a finished run does nothing more and says how it ended.
        CliResult again = run("run", spec.toString(), "--identity", key.toString(), "--resume", runDir.toString());
        assertThat(again.exitCode()).isZero();
    }

    @Test
    void withoutATerminalOrYesAnApprovalPointIsRefusedAndTheRunStops() throws Exception {
        Files.writeString(spec, Files.readString(spec) + "policy:\n  approvals:\n    at: [before-switchover]\n");
        CliResult r = run("run", spec.toString(), "--identity", key.toString(), "--run-dir", dir.resolve("run").toString());

        assertThat(r.exitCode()).isEqualTo(ExitCodes.RUN_FAILED);
        assertThat(r.out()).contains("approval").contains("abort");
        assertThat(Files.readString(cluster.node("lb1").dir().resolve("version")).strip()).isEqualTo("1.0");
        assertThat(Files.readString(cluster.node("lb2").dir().resolve("version")).strip()).isEqualTo("2.0");
    }
}
