package io.haupgrade.cli;

import static io.haupgrade.cli.CliResult.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.haupgrade.embedded.EmbeddedSshCluster;
import io.haupgrade.embedded.EmbeddedSshNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code ha-upgrade run} in a child JVM against three embedded SSH nodes (n1 primary): Ctrl-C (SIGINT)
 * while a standby's upgrade command runs, a kill in the same place, and {@code --resume} without a run directory.
 * Every phase command appends "node phase" to the shared {@code cluster.log}.
 */
@Timeout(120)
class RunInterruptTest {
    @TempDir
    Path dir;
    EmbeddedSshCluster cluster;
    Path spec;
    Path key;
    Path runs;
    final List<Process> children = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        cluster = EmbeddedSshCluster.start(dir.resolve("nodes"), "n", 3);
        StringBuilder y = new StringBuilder("name: sim\ntargetVersion: \"2.0\"\nssh:\n  user: ")
                .append(cluster.nodes().get(0).user()).append("\n  knownHosts:\n    text: |\n");
        for (String line : cluster.knownHosts().split("\n")) {
            y.append("      ").append(line).append('\n');
        }
        y.append("nodes:\n");
        for (EmbeddedSshNode n : cluster.nodes()) {
            boolean primary = n.name().equals("n1");
            Files.writeString(n.dir().resolve("version"), "1.0\n");
            Files.writeString(n.dir().resolve("role"), primary ? "MASTER\n" : "BACKUP\n");
            y.append("  - name: ").append(n.name()).append("\n    host: ").append(n.host()).append("\n    port: ")
                    .append(n.port()).append("\n    role: ").append(primary ? "primary" : "standby").append('\n');
        }
        y.append("""
                discovery:
                  role: {command: cat role, primaryPattern: MASTER}
                  version: {command: cat version}
                commands:
                  snapshot: echo "${node.name} snapshot" >> ../cluster.log; cp version snapshot
                  fence: echo "${node.name} fence" >> ../cluster.log; echo fenced > fence
                  upgrade:
                    run: echo "${node.name} upgrade" >> ../cluster.log; if [ -e slow-upgrade ]; then sleep 3; fi; echo ${targetVersion} > version
                    timeout: 20s
                  verify: echo "${node.name} verify" >> ../cluster.log
                  unfence: echo "${node.name} unfence" >> ../cluster.log; rm -f fence
                  rollback: echo "${node.name} rollback" >> ../cluster.log; cp snapshot version
                  switchover: echo "${node.name} switchover" >> ../cluster.log; echo BACKUP > role; echo MASTER > ../${peer.name}/role
                health:
                  interval: 50ms
                  timeout: 3s
                  node:
                    - name: up
                      command: "true"
                policy:
                  onFailure: rollback
                  timeouts: {switchover: 3s}
                """);
        spec = dir.resolve("sim.yaml");
        Files.writeString(spec, y.toString());
        Files.writeString(dir.resolve("nodes").resolve("cluster.log"), "");
        key = dir.resolve("id_ed25519");
        Files.write(key, cluster.clientKey().openSshPrivateKey(null));
        runs = dir.resolve("runs");
    }

    @AfterEach
    void stop() throws Exception {
        for (Process child : children) {
            child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        cluster.close();
    }

    private Process child(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        Process child = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("child.out").toFile()).start();
        children.add(child);
        return child;
    }

    private String childOutput() throws IOException {
        return Files.readString(dir.resolve("child.out"));
    }

    private List<String> log() throws IOException {
        return Files.readAllLines(dir.resolve("nodes").resolve("cluster.log")).stream().filter(l -> !l.isBlank()).toList();
    }

    private void awaitLogLine(String line, Process child) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!log().contains(line) && child.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(log()).as("child output:%n%s", childOutput()).contains(line);
    }

    private String read(String node, String file) throws IOException {
        Path p = cluster.node(node).dir().resolve(file);
        return Files.exists(p) ? Files.readString(p).strip() : null;
    }

    private Path onlyRunDir() throws IOException {
        try (Stream<Path> dirs = Files.list(runs)) {
            // The decoys are dated 2999; the run under test is dated now. Listing order is not defined.
            return dirs.filter(d -> d.getFileName().toString().matches("sim-\\d{8}-\\d{6}"))
                    .filter(d -> !d.getFileName().toString().startsWith("sim-2999")).findFirst().orElseThrow();
        }
    }

    private void lockReleased() {
        for (EmbeddedSshNode n : cluster.nodes()) {
            assertThat(n.dir().resolve(".ha-upgrade/locks/sim")).as("lock on %s", n.name()).doesNotExist();
        }
    }

    /** SIGINT is delivered to a JVM only when its parent did not ignore it (a background job of a plain shell does). */
    private static void assumeSigintReachesAChild() throws IOException {
        String status = Files.readString(Path.of("/proc/self/status"));
        String ignored = status.lines().filter(l -> l.startsWith("SigIgn:")).findFirst().orElse("SigIgn: 0")
                .substring("SigIgn:".length()).strip();
        Assumptions.assumeTrue((Long.parseLong(ignored, 16) & 0b10) == 0,
                "this JVM ignores SIGINT, so a child JVM would too and could not be interrupted");
    }

    @Test
    void ctrlCDuringAStandbysUpgradeLetsTheCommandFinishRollsTheNodeBackReleasesTheLockAndExits130() throws Exception {
        assumeSigintReachesAChild();
        Files.writeString(cluster.node("n2").dir().resolve("slow-upgrade"), "");
        Process child = child("run", spec.toString(), "--identity", key.toString(), "--yes", "--runs-dir",
                runs.toString(), "--started-by", "alice");
        awaitLogLine("n2 upgrade", child);

        new ProcessBuilder("kill", "-INT", Long.toString(child.pid())).start().waitFor(10, TimeUnit.SECONDS);

        assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("child exited").isTrue();
        assertThat(child.exitValue()).as(childOutput()).isEqualTo(ExitCodes.CANCELLED);
        // The running upgrade was not cut off; policy rollback restored, verified and unfenced the node.
        assertThat(log()).containsExactly("n2 snapshot", "n2 fence", "n2 upgrade", "n2 rollback", "n2 verify",
                "n2 unfence");
        assertThat(read("n2", "version")).isEqualTo("1.0");
        assertThat(read("n2", "fence")).isNull();
        lockReleased();
        String journal = Files.readString(onlyRunDir().resolve("journal.jsonl"));
        assertThat(journal).contains("\"type\":\"cancel-requested\"").contains("Ctrl-C");
        assertThat(journal.lines().reduce((a, b) -> b).orElseThrow()).contains("\"type\":\"run-finished\"")
                .contains("cancelled by alice: Ctrl-C").contains("last step: node:n2:upgrade succeeded")
                .contains("next: node:n2:verify");
        assertThat(childOutput()).contains("run aborted").contains("report:");

        // The cancelled run is over: --resume finds no unfinished run and says what to do; a new run finishes the job.
        CliResult resume = run("run", spec.toString(), "--identity", key.toString(), "--resume",
                "--runs-dir", runs.toString());
        assertThat(resume.exitCode()).isEqualTo(ExitCodes.INVALID);
        assertThat(resume.err()).contains("no unfinished run of sim");
        Files.delete(cluster.node("n2").dir().resolve("slow-upgrade"));
        CliResult again = run("run", spec.toString(), "--identity", key.toString(), "--yes",
                "--runs-dir", runs.toString(), "--run-dir", dir.resolve("run2").toString());
        assertThat(again.exitCode()).as(again.out() + again.err()).isZero();
        for (EmbeddedSshNode n : cluster.nodes()) {
            assertThat(read(n.name(), "version")).isEqualTo("2.0");
        }
        lockReleased();
    }

    @Test
    void resumeWithoutARunDirectoryContinuesTheNewestUnfinishedRunOfThisClusterAfterAKill() throws Exception {
        Files.writeString(cluster.node("n2").dir().resolve("slow-upgrade"), "");
        // Decoys the search must pass over: a finished run of this cluster, an unfinished run of another cluster
        // whose name starts like this one's, both newer.
        Path finished = Files.createDirectories(runs.resolve("sim-29991231-000000"));
        Files.writeString(finished.resolve("journal.jsonl"), "{\"type\":\"run-finished\"}\n");
        Path other = Files.createDirectories(runs.resolve("sim-east-29991231-000000"));
        Files.writeString(other.resolve("journal.jsonl"), "{\"type\":\"run-started\",\"cluster\":\"sim-east\"}\n");
        Process child = child("run", spec.toString(), "--identity", key.toString(), "--yes", "--runs-dir",
                runs.toString());
        awaitLogLine("n2 upgrade", child);
        child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        Path runDir = onlyRunDir();
        assertThat(read("n1", ".ha-upgrade/locks/sim/owner")).as("the dead run keeps its lock").isNotNull();
        Files.delete(cluster.node("n2").dir().resolve("slow-upgrade"));

        CliResult resumed = run("run", spec.toString(), "--identity", key.toString(), "--yes", "--resume",
                "--runs-dir", runs.toString());

        assertThat(resumed.exitCode()).as(resumed.out() + resumed.err()).isZero();
        assertThat(resumed.out()).contains("run directory: " + runDir.toAbsolutePath());
        for (EmbeddedSshNode n : cluster.nodes()) {
            assertThat(read(n.name(), "version")).isEqualTo("2.0");
            assertThat(read(n.name(), "fence")).isNull();
        }
        // n2 was fenced once and each node's phases ran in order; the primary last, after its switchover.
        assertThat(log().stream().filter(l -> l.endsWith(" fence")).toList())
                .containsExactly("n2 fence", "n3 fence", "n1 fence");
        assertThat(log()).containsSubsequence("n2 fence", "n2 upgrade", "n2 verify", "n2 unfence", "n3 fence",
                "n3 unfence", "n1 switchover", "n1 fence", "n1 upgrade", "n1 verify", "n1 unfence");
        assertThat(Files.readString(runDir.resolve("journal.jsonl"))).contains("\"type\":\"run-finished\"");
        assertThat(Files.readString(other.resolve("journal.jsonl"))).doesNotContain("run-finished");
        lockReleased();
    }

    @Test
    void aSecondCtrlCExitsAtOnceAndResumeWithoutARunDirectoryFinishesTheCancellation() throws Exception {
        assumeSigintReachesAChild();
        Files.writeString(cluster.node("n2").dir().resolve("slow-upgrade"), "");
        Process child = child("run", spec.toString(), "--identity", key.toString(), "--yes", "--runs-dir",
                runs.toString(), "--started-by", "alice");
        awaitLogLine("n2 upgrade", child);

        new ProcessBuilder("kill", "-INT", Long.toString(child.pid())).start().waitFor(10, TimeUnit.SECONDS);
        Path journal = onlyRunDir().resolve("journal.jsonl");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!Files.readString(journal).contains("\"type\":\"cancel-requested\"") && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        new ProcessBuilder("kill", "-INT", Long.toString(child.pid())).start().waitFor(10, TimeUnit.SECONDS);

        // Out at once, while n2's upgrade still runs (it sleeps 3 s): nothing undone, the lock left for --resume.
        assertThat(child.waitFor(2, TimeUnit.SECONDS)).as("child exited at once").isTrue();
        assertThat(child.exitValue()).isEqualTo(ExitCodes.CANCELLED);
        assertThat(log()).doesNotContain("n2 rollback", "n2 unfence");
        assertThat(Files.readString(journal)).doesNotContain("\"type\":\"run-finished\"");
        assertThat(read("n1", ".ha-upgrade/locks/sim/owner")).isNotNull();
        // The upgrade command goes on without the tool, as a command does when its SSH client dies.
        long done = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!"2.0".equals(read("n2", "version")) && System.nanoTime() < done) {
            Thread.sleep(50);
        }
        assertThat(read("n2", "version")).isEqualTo("2.0");

        // --resume picks that run and does what the first Ctrl-C asked for: stop, undo per policy, release the lock.
        CliResult resumed = run("run", spec.toString(), "--identity", key.toString(), "--resume",
                "--runs-dir", runs.toString());

        assertThat(resumed.exitCode()).as(resumed.out() + resumed.err()).isEqualTo(ExitCodes.RUN_FAILED);
        assertThat(resumed.out()).contains("run aborted").contains("cancelled by alice: Ctrl-C");
        assertThat(log()).containsExactly("n2 snapshot", "n2 fence", "n2 upgrade", "n2 rollback", "n2 verify",
                "n2 unfence");
        assertThat(read("n2", "version")).isEqualTo("1.0");
        assertThat(read("n2", "fence")).isNull();
        assertThat(Files.readString(journal)).contains("\"type\":\"run-finished\"");
        lockReleased();
    }
}
