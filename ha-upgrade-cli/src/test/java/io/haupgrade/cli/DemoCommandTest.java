package io.haupgrade.cli;

import static io.haupgrade.cli.CliResult.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.haupgrade.report.NodeOutcome;
import io.haupgrade.report.NodeReport;
import io.haupgrade.report.Outcome;
import io.haupgrade.report.ReportJson;
import io.haupgrade.report.RunReport;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ha-upgrade demo} end to end: a real rolling upgrade over SSH with the probe on the virtual IP, a failure
 * rolled back, the way on after it, and nothing left running afterwards.
 */
@Timeout(180)
class DemoCommandTest {
    private static final Pattern RUN_DIR = Pattern.compile("(?:run directory: |resuming the unfinished run in )(.+)");

    @TempDir
    Path dir;

    @Test
    void upgradesEveryNodeWithoutOneFailedProbeAndLeavesNoPortOrThreadBehind() throws Exception {
        Set<Thread> before = liveNonDaemonThreads();
        long start = System.nanoTime();

        CliResult r = run("demo", "--dir", dir.toString());

        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        assertThat(seconds).as("the demo must finish well under a minute").isLessThan(45);
        RunReport report = report(r);
        assertThat(report.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(report.nodes()).extracting(NodeReport::outcome).containsOnly(NodeOutcome.UPGRADED);
        // The probe ran from before the first command on a node until after the last, every 25 ms.
        List<io.haupgrade.report.PhaseRecord> phases = report.nodes().stream().flatMap(n -> n.phases().stream())
                .toList();
        assertThat(phases).isNotEmpty().allSatisfy(p -> {
            assertThat(p.start()).isAfter(report.probe().startedAt());
            assertThat(p.end()).isBefore(report.probe().stoppedAt());
        });
        long slots = java.time.Duration.between(report.probe().startedAt(), report.probe().stoppedAt()).toMillis() / 25;
        assertThat(report.probe().sent()).as("probes sent of %d slots of 25 ms", slots).isGreaterThan(slots / 2);
        assertThat(report.probe().failed()).as("the switchover never left the VIP without a MASTER").isZero();
        assertThat(report.approvals()).singleElement()
                .satisfies(a -> assertThat(a.comment()).contains(DemoCommand.AUTO_APPROVAL));
        for (String node : List.of("node1", "node2", "node3")) {
            assertThat(read(node, "app/version")).isEqualTo(DemoSpec.TARGET);
        }
        assertThat(read("node2", "role")).as("the upgraded standby took over").isEqualTo("MASTER");
        assertThat(r.out()).contains("cluster file: " + dir.toAbsolutePath().resolve(DemoCommand.CLUSTER_FILE))
                .contains("approved automatically (demo)")
                .containsPattern("probe: \\d+ sent, 0 failed, 100\\.000% available")
                .contains("fences held: none")
                .contains("report: " + dir.toAbsolutePath().resolve("runs"))
                .contains("demo cluster stopped");

        List<Integer> ports = ports(r.out());
        assertThat(ports).as("3 SSH servers, 3 services, the virtual IP").hasSize(7);
        for (int port : ports) {
            assertThat(listening(port)).as("port " + port + " is closed after the demo").isFalse();
        }
        assertThat(threadsLeftBeyond(before)).as("non-daemon threads left by the demo").isEmpty();
    }

    @Test
    void failOnRollsTheNodeBackStopsAndTheDemoContinuesOnTheSameDirectoryOnceTheCauseIsRemoved() throws Exception {
        // A directory name YAML and the shell would both misread unquoted.
        dir = Files.createDirectory(dir.resolve("my demo #1"));
        CliResult failed = run("demo", "--dir", dir.toString(), "--fail-on", "node1", "--quiet");

        assertThat(failed.exitCode()).as(failed.out() + failed.err()).isEqualTo(ExitCodes.RUN_FAILED);
        RunReport report = report(failed);
        assertThat(report.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(report.stoppedAt()).contains("node:node1:upgrade");
        assertThat(node(report, "node1").outcome()).isEqualTo(NodeOutcome.ROLLED_BACK);
        assertThat(node(report, "node1").versionAfter()).isEqualTo(DemoSpec.FROM);
        assertThat(report.fencesHeld()).isEmpty();
        assertThat(report.probe().failed()).isZero();
        assertThat(read("node1", "app/version")).as("restored from the snapshot").isEqualTo(DemoSpec.FROM);
        assertThat(read("node1", "role")).as("back in service").isEqualTo("BACKUP");
        assertThat(read("node2", "app/version")).isEqualTo(DemoSpec.TARGET);
        assertThat(failed.out()).doesNotContain(" started\n").contains("rolled-back");

        // The summary says exactly what to do; do it.
        Path flag = dir.toAbsolutePath().resolve("nodes/node1").resolve(DemoSpec.FAIL_FLAG);
        assertThat(failed.out()).contains("  rm '" + flag + "'\n")
                .contains(" demo --dir '" + dir.toAbsolutePath() + "'\n");
        Files.delete(flag);
        CliResult again = run("demo", "--dir", dir.toString());

        assertThat(again.exitCode()).as(again.out() + again.err()).isZero();
        assertThat(again.out()).contains("started again as it was left");
        RunReport continued = report(again);
        assertThat(continued.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(node(continued, "node1").outcome()).isEqualTo(NodeOutcome.UPGRADED);
        assertThat(node(continued, "node2").outcome()).as("not upgraded twice").isEqualTo(NodeOutcome.ALREADY_CURRENT);
        assertThat(node(continued, "node3").outcome()).isEqualTo(NodeOutcome.ALREADY_CURRENT);
        assertThat(continued.probe().failed()).isZero();
        assertThat(read("node1", "app/version")).isEqualTo(DemoSpec.TARGET);
    }

    @Test
    void aDemoKilledInTheMiddleIsResumedFromItsJournalByTheNextDemoOnTheSameDirectory() throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "demo", "--dir", dir.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("killed-demo.log").toFile())
                .start();
        try {
            assertThat(waitForStepStarted("node:node3:upgrade")).as("the child reached node3's upgrade").isTrue();
        } finally {
            child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }

        CliResult resumed = run("demo", "--dir", dir.toString());

        assertThat(resumed.exitCode()).as(resumed.out() + resumed.err()).isZero();
        assertThat(resumed.out()).contains("resuming the unfinished run in " + dir.toAbsolutePath().resolve("runs"));
        RunReport report = report(resumed);
        assertThat(report.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(report.fencesHeld()).isEmpty();
        for (String node : List.of("node1", "node2", "node3")) {
            assertThat(read(node, "app/version")).isEqualTo(DemoSpec.TARGET);
        }
        assertThat(read("node2", "role")).isEqualTo("MASTER");
    }

    /** Waits until the demo's journal says {@code stepId} started; false after 60 s. */
    private boolean waitForStepStarted(String stepId) throws Exception {
        Path runs = dir.resolve("runs");
        for (int i = 0; i < 3000; i++) {
            if (Files.isDirectory(runs)) {
                try (var dirs = Files.list(runs)) {
                    for (Path run : dirs.toList()) {
                        Path journal = run.resolve("journal.jsonl");
                        if (Files.exists(journal) && Files.readAllLines(journal).stream().anyMatch(line ->
                                line.contains("\"type\":\"step-started\"") && line.contains("\"id\":\"" + stepId + "\""))) {
                            return true;
                        }
                    }
                }
            }
            Thread.sleep(20);
        }
        return false;
    }

    @Test
    void serveKeepsTheClusterUpForTheRunCommandWhoseProbeSeesTheGapOfASwitchoverThatDemotesFirst() throws Exception {
        PipedOutputStream enter = new PipedOutputStream();
        InputStream stdin = System.in;
        System.setIn(new PipedInputStream(enter));
        try {
            CompletableFuture<CliResult> serving = CompletableFuture.supplyAsync(
                    () -> run("demo", "--dir", dir.toString(), "--serve"));
            Path file = dir.resolve(DemoCommand.CLUSTER_FILE);
            for (int i = 0; i < 300 && !(Files.exists(file) && Files.readString(file).contains("maxDowntime")); i++) {
                Thread.sleep(100);
            }
            Thread.sleep(200);
            assertThat(run("validate", file.toString()).out()).startsWith("OK: demo (3 nodes)");
            // The wrong order: the old MASTER steps down before the new one is promoted, so for a moment the
            // virtual IP has no MASTER. The probe must see it (the demo's own order shows 0 failed probes).
            String spec = Files.readString(file);
            String promoteFirst = """
                        - run: echo MASTER > ../${peer.name}/role
                          description: promote the upgraded standby; the VIP follows the newest MASTER
                        - run: sleep 0.1; echo BACKUP > role
                    """;
            assertThat(spec).contains(promoteFirst);
            Files.writeString(file, spec.replace(promoteFirst, """
                        - run: echo BACKUP > role; sleep 0.3
                        - run: echo MASTER > ../${peer.name}/role
                    """));

            CliResult upgraded = run("run", file.toString(), "--identity", dir.resolve("client_ed25519").toString(),
                    "--yes", "--run-dir", dir.resolve("by-hand").toString());

            assertThat(upgraded.exitCode()).as(upgraded.out() + upgraded.err()).isZero();
            RunReport report = ReportJson.read(dir.resolve("by-hand/report.json"));
            assertThat(report.probe().failed()).as("probes failed while no node was MASTER").isPositive();
            assertThat(report.probe().longestOutage()).isGreaterThanOrEqualTo(java.time.Duration.ofMillis(100));
            enter.write("\n".getBytes(StandardCharsets.UTF_8));
            enter.flush();
            CliResult served = serving.get(30, TimeUnit.SECONDS);
            assertThat(served.exitCode()).isZero();
            assertThat(served.out()).contains(" run " + file.toAbsolutePath() + " --identity ");
            for (int port : ports(served.out())) {
                assertThat(listening(port)).as("port " + port).isFalse();
            }
        } finally {
            System.setIn(stdin);
            enter.close();
        }
    }

    @Test
    void interactiveTakesTheAnswerFromTheTerminalAndAnAbortStopsBeforeTheSwitchover() throws Exception {
        InputStream stdin = System.in;
        System.setIn(new ByteArrayInputStream("abort\n".getBytes(StandardCharsets.UTF_8)));
        CliResult r;
        try {
            r = run("demo", "--dir", dir.toString(), "--interactive", "--quiet");
        } finally {
            System.setIn(stdin);
        }

        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(ExitCodes.RUN_FAILED);
        assertThat(r.out()).contains("APPROVAL NEEDED (before-switchover)").contains("proceed/abort? ")
                .doesNotContain(DemoCommand.AUTO_APPROVAL);
        RunReport report = report(r);
        assertThat(report.outcome()).isEqualTo(Outcome.ABORTED);
        assertThat(report.approvals()).singleElement()
                .satisfies(a -> assertThat(a.by()).isEqualTo(System.getProperty("user.name")));
        assertThat(read("node1", "role")).as("no switchover after the abort").isEqualTo("MASTER");
        assertThat(read("node1", "app/version")).isEqualTo(DemoSpec.FROM);
        assertThat(report.fencesHeld()).isEmpty();
    }

    @Test
    void failOnANodeTheDemoDoesNotHaveIsAUsageError() {
        CliResult r = run("demo", "--dir", dir.toString(), "--fail-on", "node7");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID);
        assertThat(r.err()).contains("node7").contains("node1, node2, node3");
        assertThat(dir.resolve("nodes")).doesNotExist();
    }

    private static RunReport report(CliResult r) {
        Matcher m = RUN_DIR.matcher(r.out());
        assertThat(m.find()).as(r.out()).isTrue();
        return ReportJson.read(Path.of(m.group(1)).resolve("report.json"));
    }

    private static NodeReport node(RunReport report, String name) {
        return report.nodes().stream().filter(n -> n.name().equals(name)).findFirst().orElseThrow();
    }

    private String read(String node, String file) throws IOException {
        return Files.readString(dir.resolve("nodes").resolve(node).resolve(file)).strip();
    }

    /** The ports the demo printed: each node's SSH port and service, and the virtual IP. */
    private static List<Integer> ports(String out) {
        List<Integer> ports = new ArrayList<>();
        String started = out.substring(0, out.indexOf("cluster file:"));
        Matcher m = Pattern.compile("(?:-p |127\\.0\\.0\\.1:)(\\d+)").matcher(started);
        while (m.find()) {
            ports.add(Integer.parseInt(m.group(1)));
        }
        return ports;
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static Set<Thread> liveNonDaemonThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive() && !t.isDaemon())
                .collect(Collectors.toSet());
    }

    /** Non-daemon threads started since {@code before} and still alive after a short grace period. */
    private static List<String> threadsLeftBeyond(Set<Thread> before) throws InterruptedException {
        List<String> left = List.of();
        for (int i = 0; i < 50; i++) {
            left = liveNonDaemonThreads().stream().filter(t -> !before.contains(t)).map(Thread::getName).toList();
            if (left.isEmpty()) {
                break;
            }
            Thread.sleep(100);
        }
        return left;
    }
}
