package io.haupgrade.bench;

import io.haupgrade.embedded.EmbeddedSshCluster;
import io.haupgrade.embedded.EmbeddedSshNode;
import io.haupgrade.ssh.CommandResult;
import io.haupgrade.ssh.KnownHostsPolicy;
import io.haupgrade.ssh.NodeOutcome;
import io.haupgrade.ssh.NodeSession;
import io.haupgrade.ssh.OutputListener;
import io.haupgrade.ssh.PrivateKeyCredential;
import io.haupgrade.ssh.RemoteCommand;
import io.haupgrade.ssh.SecretMasker;
import io.haupgrade.ssh.SshConnector;
import io.haupgrade.ssh.SshException;
import io.haupgrade.ssh.SshTarget;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The SSH layer against embedded nodes on loopback: (a) one trivial command on N nodes at once, wall time, CPU
 * and the client's peak heap, with the nodes in {@link NodeShard} processes of their own; (b) sequential commands
 * on one reused connection against a new connection per command. Usage and results: docs/benchmarks.md.
 *
 * <p>Arguments (all optional): {@code --nodes 10,100,500 --parallelism 64 --sequential 100 --warm-rounds 3}.
 */
public final class SshBench {
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

    private SshBench() {
    }

    public static void main(String[] args) throws Exception {
        int[] sizes = {10, 100, 500};
        int parallelism = 64;
        int sequential = 100;
        int warmRounds = 3;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--nodes" -> sizes = Arrays.stream(args[i + 1].split(",")).mapToInt(Integer::parseInt).toArray();
                case "--parallelism" -> parallelism = Integer.parseInt(args[i + 1]);
                case "--sequential" -> sequential = Integer.parseInt(args[i + 1]);
                case "--warm-rounds" -> warmRounds = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; known: --nodes, --parallelism, --sequential, --warm-rounds");
            }
        }
        System.out.printf("JVM max heap %d MB, %d cores, parallelism %d, %d warm-up rounds on the servers%n",
                Runtime.getRuntime().maxMemory() >> 20, Runtime.getRuntime().availableProcessors(), parallelism,
                warmRounds);
        warmUp(parallelism);
        for (int size : sizes) {
            parallelRun(size, parallelism, warmRounds);
        }
        sequentialRuns(sequential);
    }

    /**
     * Runs the code paths on 100 nodes first: the engine is long-lived (Jenkins, a CLI run over many nodes), so
     * the measure is the JIT-compiled steady state, not class loading and interpretation (about twice the CPU).
     */
    private static void warmUp(int parallelism) throws Exception {
        Path dir = Files.createTempDirectory("ssh-bench-warmup");
        try (NodeShards shards = NodeShards.start(dir, "warm-", 100)) {
            shards.warmUp(parallelism, 1);
        } finally {
            delete(dir);
        }
    }

    /**
     * Starts {@code size} nodes, warms them with {@code warmRounds} unmeasured rounds, and measures one more
     * through a new connector.
     */
    private static void parallelRun(int size, int parallelism, int warmRounds) throws Exception {
        Path dir = Files.createTempDirectory("ssh-bench-" + size);
        long startNodes = System.nanoTime();
        try (NodeShards shards = NodeShards.start(dir, "node-", size)) {
            Duration nodesUp = since(startNodes);
            shards.warmUp(parallelism, warmRounds);
            System.gc();
            resetPeakHeap();
            long heapBefore = usedHeap();
            long serverCpuStart = shards.cpuNanos();
            long start = System.nanoTime();
            long cpuStart = processCpuNanos();
            List<NodeOutcome<CommandResult>> outcomes;
            try (SshConnector connector = new SshConnector(new SecretMasker())) {
                outcomes = connector.onEach(shards.targets(), parallelism, SshBench::trivialCommand);
            }
            Duration wall = since(start);
            Duration cpu = Duration.ofNanos(processCpuNanos() - cpuStart);
            Duration serverCpu = Duration.ofNanos(shards.cpuNanos() - serverCpuStart);
            long failed = outcomes.stream().filter(outcome -> !outcome.succeeded()
                    || outcome.value().exitCode() != 0).count();
            System.out.printf("(a) N=%-4d connect + 1 command on every node: wall %6d ms, CPU client %6d ms, "
                            + "servers %6d ms, client peak heap %4d MB (%d MB before), failed %d   "
                            + "[%d servers in %d processes started in %d ms]%n",
                    size, wall.toMillis(), cpu.toMillis(), serverCpu.toMillis(), peakHeap() >> 20,
                    heapBefore >> 20, failed, size, shards.processes(), nodesUp.toMillis());
            outcomes.stream().filter(outcome -> !outcome.succeeded()).limit(3)
                    .forEach(outcome -> System.out.println("    " + outcome.failure().getMessage()));
        } finally {
            delete(dir);
        }
    }

    private static CommandResult trivialCommand(NodeSession session) throws SshException {
        return session.exec(RemoteCommand.of("true", COMMAND_TIMEOUT), OutputListener.NONE);
    }

    private static void sequentialRuns(int count) throws Exception {
        Path dir = Files.createTempDirectory("ssh-bench-seq");
        try (EmbeddedSshCluster cluster = EmbeddedSshCluster.start(dir, "seq-", 1);
                SshConnector connector = new SshConnector(new SecretMasker())) {
            SshTarget target = targets(cluster).get(0);
            NodeSession reused = connector.session(target);
            long[] reusedNanos = new long[count];
            for (int i = 0; i < count; i++) {
                long start = System.nanoTime();
                check(reused.exec(RemoteCommand.of("true", COMMAND_TIMEOUT), OutputListener.NONE));
                reusedNanos[i] = System.nanoTime() - start;
            }
            reused.close();
            long[] freshNanos = new long[count];
            for (int i = 0; i < count; i++) {
                long start = System.nanoTime();
                try (NodeSession fresh = connector.session(target)) {
                    check(fresh.exec(RemoteCommand.of("true", COMMAND_TIMEOUT), OutputListener.NONE));
                }
                freshNanos[i] = System.nanoTime() - start;
            }
            System.out.printf("(b) %d sequential commands, reused connection: median %.1f ms, p90 %.1f ms%n",
                    count, percentile(reusedNanos, 50), percentile(reusedNanos, 90));
            System.out.printf("(b) %d sequential commands, new connection each: median %.1f ms, p90 %.1f ms%n",
                    count, percentile(freshNanos, 50), percentile(freshNanos, 90));
        } finally {
            delete(dir);
        }
    }

    private static void check(CommandResult result) {
        if (result.exitCode() != 0) {
            throw new IllegalStateException("benchmark command failed: " + result);
        }
    }

    private static List<SshTarget> targets(EmbeddedSshCluster cluster) {
        KnownHostsPolicy knownHosts = KnownHostsPolicy.fromText("the benchmark cluster", cluster.knownHosts());
        PrivateKeyCredential credential = new PrivateKeyCredential("ops",
                cluster.clientKey().openSshPrivateKey(null), null);
        List<SshTarget> targets = new ArrayList<>();
        for (EmbeddedSshNode node : cluster.nodes()) {
            targets.add(SshTarget.builder(node.name(), node.host(), credential, knownHosts).port(node.port())
                    .connectTimeout(Duration.ofSeconds(30)).connectRetries(0).build());
        }
        return targets;
    }

    private static double percentile(long[] nanos, int percent) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        int index = Math.min(sorted.length - 1, (int) Math.ceil(percent / 100.0 * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1_000_000.0;
    }

    /** CPU time of this process, all threads, user and system. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    private static List<MemoryPoolMXBean> heapPools() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(pool -> pool.getType() == MemoryType.HEAP)
                .toList();
    }

    private static void resetPeakHeap() {
        heapPools().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    /** Sum of the heap pools' peaks: an upper bound of the heap in use at any one moment. */
    private static long peakHeap() {
        return heapPools().stream().mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
    }

    private static long usedHeap() {
        return heapPools().stream().mapToLong(pool -> pool.getUsage().getUsed()).sum();
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
