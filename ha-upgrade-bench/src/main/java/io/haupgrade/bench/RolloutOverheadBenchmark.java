package io.haupgrade.bench;

import io.haupgrade.embedded.EmbeddedSshCluster;
import io.haupgrade.embedded.EmbeddedSshNode;
import io.haupgrade.execute.Approvers;
import io.haupgrade.execute.Rollout;
import io.haupgrade.execute.RolloutContext;
import io.haupgrade.execute.RolloutRequest;
import io.haupgrade.execute.RolloutRunner;
import io.haupgrade.execute.RunEvent;
import io.haupgrade.execute.SshNodeSessions;
import io.haupgrade.execute.StepOutcome;
import io.haupgrade.spec.ClusterSpec;
import io.haupgrade.spec.SpecLoader;
import io.haupgrade.ssh.PrivateKeyCredential;
import io.haupgrade.ssh.SecretMasker;
import io.haupgrade.ssh.SshConnector;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * Orchestration overhead of a rolling run: N embedded SSH nodes (default 20) whose phase commands do (almost)
 * nothing, one full rolling upgrade, then {@code (wall time - time inside SSH commands) / nodes}. "Time inside SSH
 * commands" is the sum of every phase command's round trip as the SSH layer measured it, plus the time each gate
 * attempt spent running its checks (checks run in parallel, so a gate attempt counts once, by its wall time).
 * Everything else (journal fsyncs, planning, role discovery before each node, lock, events) is overhead.
 *
 * <p>Run: {@code java -cp <bench classpath> io.haupgrade.bench.RolloutOverheadBenchmark [nodes] [runs]}.
 */
public final class RolloutOverheadBenchmark {
    private RolloutOverheadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        PrintStream out = System.out;
        out.printf("rolling run on %d embedded nodes, instant commands, %d measured runs (+1 warm-up)%n", nodes, runs);
        for (int i = 0; i <= runs; i++) {
            Result r = once(nodes);
            out.printf("%s wall %6d ms, in commands %6d ms (%d commands, %d gate attempts), overhead %5.1f ms/node;"
                            + " of the wall: start (connect, lock, discover, plan) %d ms, end (unlock, report) %d ms;"
                            + " overhead without start and end %5.1f ms/node (journal fsyncs %d)%n",
                    i == 0 ? "warm-up " : "run " + i + "   ", r.wall.toMillis(), r.inCommands.toMillis(), r.commands,
                    r.gateAttempts, r.overheadPerNode(nodes), r.start.toMillis(), r.end.toMillis(),
                    r.steadyOverheadPerNode(nodes), r.durableEvents);
        }
    }

    record Result(Duration wall, Duration inCommands, int commands, int gateAttempts, int durableEvents,
            Duration start, Duration end) {
        double overheadPerNode(int nodes) {
            return (wall.toNanos() - inCommands.toNanos()) / 1e6 / nodes;
        }

        double steadyOverheadPerNode(int nodes) {
            return (wall.toNanos() - inCommands.toNanos() - start.toNanos() - end.toNanos()) / 1e6 / nodes;
        }
    }

    static Result once(int size) throws Exception {
        Path base = Files.createTempDirectory("ha-upgrade-bench");
        try (EmbeddedSshCluster cluster = EmbeddedSshCluster.start(base.resolve("nodes"), "n", size)) {
            for (EmbeddedSshNode node : cluster.nodes()) {
                Files.writeString(node.dir().resolve("version"), "1.0\n");
                Files.writeString(node.dir().resolve("role"), node.name().equals("n1") ? "primary\n" : "standby\n");
            }
            ClusterSpec spec = SpecLoader.parse(specYaml(cluster), "bench.yaml");
            List<RunEvent> events = new CopyOnWriteArrayList<>();
            byte[] key = cluster.clientKey().openSshPrivateKey(null);
            RolloutContext context = new RolloutContext(new SshNodeSessions(spec, new SshConnector(new SecretMasker()),
                    (id, user, node) -> new PrivateKeyCredential(user, key, null), (k, where) -> { }), events::add,
                    Clock.systemUTC());
            long start = System.nanoTime();
            StepOutcome.Finished finished;
            try (Rollout rollout = Rollout.start(new RolloutRequest(spec, null, null, "bench", base.resolve("run"),
                    "bench", "localhost", null, false), context)) {
                finished = new RolloutRunner(rollout, Approvers.approveAll("bench", Clock.systemUTC()),
                        Clock.systemUTC()).run();
            }
            Duration wall = Duration.ofNanos(System.nanoTime() - start);
            if (finished.report().outcome() != io.haupgrade.report.Outcome.SUCCEEDED) {
                throw new IllegalStateException("benchmark run did not succeed: " + finished.stoppedAt());
            }
            Duration inCommands = Duration.ZERO;
            int commands = 0;
            int attempts = 0;
            for (RunEvent e : events) {
                if (e instanceof RunEvent.CommandFinished c) {
                    inCommands = inCommands.plus(c.elapsed());
                    commands++;
                } else if (e instanceof RunEvent.GateAttempted g) {
                    inCommands = inCommands.plus(g.result().elapsed());
                    attempts++;
                }
            }
            int durable = (int) events.stream().filter(RunEvent::durable).count();
            java.time.Instant started = events.get(0).at();
            java.time.Instant firstStep = events.stream().filter(RunEvent.StepStarted.class::isInstance).findFirst()
                    .orElseThrow().at();
            java.time.Instant lastStep = events.stream().filter(RunEvent.StepFinished.class::isInstance)
                    .reduce((a, b) -> b).orElseThrow().at();
            java.time.Instant ended = events.get(events.size() - 1).at();
            return new Result(wall, inCommands, commands, attempts, durable, Duration.between(started, firstStep),
                    Duration.between(lastStep, ended));
        } finally {
            delete(base);
        }
    }

    private static String specYaml(EmbeddedSshCluster cluster) {
        StringBuilder y = new StringBuilder("name: bench\ntargetVersion: \"2.0\"\nssh:\n  user: ")
                .append(cluster.nodes().get(0).user()).append("\n  knownHosts:\n    text: |\n");
        for (String line : cluster.knownHosts().split("\n")) {
            y.append("      ").append(line).append('\n');
        }
        y.append("nodes:\n");
        for (EmbeddedSshNode n : cluster.nodes()) {
            y.append("  - name: ").append(n.name()).append("\n    host: ").append(n.host()).append("\n    port: ")
                    .append(n.port()).append("\n    role: ").append(n.name().equals("n1") ? "primary" : "standby")
                    .append('\n');
        }
        y.append("""
                discovery:
                  role: {command: cat role, primaryPattern: primary}
                  version: {command: cat version}
                commands:
                  snapshot: "true"
                  fence: "true"
                  upgrade: echo ${targetVersion} > version
                  verify: "true"
                  unfence: "true"
                  switchover: echo standby > role; echo primary > ../${peer.name}/role
                health:
                  interval: 20ms
                  timeout: 10s
                  node:
                    - name: up
                      command: "true"
                """);
        return y.toString();
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
