package io.haupgrade.bench;

import io.haupgrade.embedded.KeyType;
import io.haupgrade.embedded.SshKeyPair;
import io.haupgrade.ssh.KnownHostsPolicy;
import io.haupgrade.ssh.OutputListener;
import io.haupgrade.ssh.PrivateKeyCredential;
import io.haupgrade.ssh.RemoteCommand;
import io.haupgrade.ssh.SecretMasker;
import io.haupgrade.ssh.SshConnector;
import io.haupgrade.ssh.SshTarget;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark's nodes, spread over {@link NodeShard} processes of {@value #NODES_PER_PROCESS} nodes each on
 * this machine's loopback. {@link #cpuNanos()} is the CPU those processes and their commands have used.
 */
final class NodeShards implements AutoCloseable {
    static final int NODES_PER_PROCESS = 50;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);
    /** USER_HZ of Linux, the unit of the CPU times in /proc/PID/stat. */
    private static final long NANOS_PER_TICK = 10_000_000L;

    private final List<Process> processes;
    private final List<SshTarget> targets;

    private NodeShards(List<Process> processes, List<SshTarget> targets) {
        this.processes = processes;
        this.targets = targets;
    }

    /** Starts {@code count} nodes named {@code <prefix>1..<prefix>count} with directories under {@code dir}. */
    static NodeShards start(Path dir, String prefix, int count) throws Exception {
        SshKeyPair clientKey = SshKeyPair.generate(KeyType.ED25519);
        List<Process> processes = new ArrayList<>();
        try {
            for (int first = 1; first <= count; first += NODES_PER_PROCESS) {
                int nodes = Math.min(NODES_PER_PROCESS, count - first + 1);
                Path log = dir.resolve("shard-" + first + ".log");
                processes.add(new ProcessBuilder(javaCommand(), "-Xmx192m", "-XX:+UseSerialGC",
                        "-cp", System.getProperty("java.class.path"), NodeShard.class.getName(),
                        dir.toString(), prefix, Integer.toString(first), Integer.toString(nodes),
                        clientKey.publicKeyEntry())
                        .redirectError(log.toFile()).start());
            }
            StringBuilder knownHosts = new StringBuilder();
            List<String[]> nodes = new ArrayList<>();
            for (Process process : processes) {
                for (String line : CompletableFuture.supplyAsync(() -> announcedNodes(process))
                        .get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                    String[] fields = line.split(" ", 4);
                    nodes.add(fields);
                    knownHosts.append(fields[3]).append('\n');
                }
            }
            KnownHostsPolicy trusted = KnownHostsPolicy.fromText("the benchmark's nodes", knownHosts.toString());
            PrivateKeyCredential credential = new PrivateKeyCredential("ops", clientKey.openSshPrivateKey(null), null);
            List<SshTarget> targets = new ArrayList<>();
            for (String[] node : nodes) {
                targets.add(SshTarget.builder(node[1], "127.0.0.1", credential, trusted)
                        .port(Integer.parseInt(node[2])).connectTimeout(Duration.ofSeconds(30)).connectRetries(0)
                        .build());
            }
            return new NodeShards(processes, targets);
        } catch (Exception | Error e) {
            stop(processes);
            throw e;
        }
    }

    /** The {@code node ...} lines a shard prints before {@code ready}. */
    private static List<String> announcedNodes(Process process) {
        List<String> lines = new ArrayList<>();
        BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
        try {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.equals("ready")) {
                    return lines;
                }
                lines.add(line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read a node shard's output", e);
        }
        throw new IllegalStateException("a node shard ended before it was ready (exit "
                + process.onExit().join().exitValue() + "); its stderr is in the benchmark's directory");
    }

    List<SshTarget> targets() {
        return targets;
    }

    int processes() {
        return processes.size();
    }

    /**
     * Rounds of one command on every node, each through a connector of its own, so that the servers run
     * JIT-compiled code, as long-running daemons do, when the measured round comes.
     */
    void warmUp(int parallelism, int rounds) throws InterruptedException {
        for (int round = 0; round < rounds; round++) {
            try (SshConnector connector = new SshConnector(new SecretMasker())) {
                connector.onEach(targets, parallelism, session -> session.exec(
                        RemoteCommand.of("true", Duration.ofSeconds(60)), OutputListener.NONE));
            }
        }
    }

    /** CPU time, user and system, of the shard processes and of the commands they ran and reaped. */
    long cpuNanos() throws IOException {
        long ticks = 0;
        for (Process process : processes) {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            // Fields after the command name in parentheses: state is 3, utime 14, stime 15, cutime 16, cstime 17.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            for (int field = 14; field <= 17; field++) {
                ticks += Long.parseLong(fields[field - 3]);
            }
        }
        return ticks * NANOS_PER_TICK;
    }

    @Override
    public void close() {
        stop(processes);
    }

    private static void stop(List<Process> processes) {
        for (Process process : processes) {
            try {
                process.getOutputStream().close();
            } catch (IOException e) {
                process.destroy();
            }
        }
        for (Process process : processes) {
            try {
                if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String javaCommand() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
