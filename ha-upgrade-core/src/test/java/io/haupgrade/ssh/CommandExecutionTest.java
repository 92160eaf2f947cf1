package io.haupgrade.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haupgrade.embedded.EmbeddedSshCluster;
import io.haupgrade.embedded.EmbeddedSshNode;
import io.haupgrade.shell.ShellQuote;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Commands on real shells behind embedded SSH servers, through the JSch layer. */
@Timeout(60)
class CommandExecutionTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    static Path clusterDir;
    private static EmbeddedSshCluster cluster;
    private SecretMasker masker;
    private SshConnector connector;

    @BeforeAll
    static void startCluster() {
        cluster = EmbeddedSshCluster.start(clusterDir, "node-", 3);
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @BeforeEach
    void openConnector() {
        masker = new SecretMasker();
        connector = new SshConnector(masker);
    }

    @AfterEach
    void closeConnector() {
        connector.close();
    }

    private EmbeddedSshNode node1() {
        return cluster.node("node-1");
    }

    private NodeSession session(EmbeddedSshNode node) throws SshException {
        return connector.session(EmbeddedTargets.target(cluster, node).build());
    }

    @Test
    void capturesExitCodeAndBothStreamsAndStreamsTaggedLinesInOrder() throws Exception {
        List<OutputEvent> events = Collections.synchronizedList(new ArrayList<>());
        NodeSession session = session(node1());

        CommandResult result = session.exec(RemoteCommand.of("echo one; echo two; echo problem >&2; printf 'last words' >&2; exit 3", TIMEOUT),
                OutputListener.tagged("node-1", "upgrade", events::add));

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.stdout()).isEqualTo("one\ntwo\n");
        assertThat(result.stderr()).isEqualTo("problem\nlast words\n");
        assertThat(result.timedOut()).isFalse();
        assertThat(events).filteredOn(e -> e.stream() == OutputListener.OutputStream.STDOUT)
                .containsExactly(new OutputEvent("node-1", "upgrade", OutputListener.OutputStream.STDOUT, "one"),
                        new OutputEvent("node-1", "upgrade", OutputListener.OutputStream.STDOUT, "two"));
        assertThat(events).contains(new OutputEvent("node-1", "upgrade", OutputListener.OutputStream.STDERR, "problem"));
    }

    @Test
    void reusesOneConnectionForManyCommandsAndRunsChannelsInParallel() throws Exception {
        NodeSession session = session(node1());
        for (int i = 0; i < 5; i++) {
            assertThat(session.exec(RemoteCommand.of("echo " + i, TIMEOUT), OutputListener.NONE).stdout())
                    .isEqualTo(i + "\n");
        }
        assertThat(connector.session(EmbeddedTargets.target(cluster, node1()).build())).isSameAs(session);
        assertThat(node1().activeConnections()).isEqualTo(1);

        ExecutorService threads = Executors.newFixedThreadPool(6);
        try {
            long start = System.nanoTime();
            List<Future<CommandResult>> running = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                running.add(threads.submit(() -> session.exec(RemoteCommand.of("sleep 1", TIMEOUT), OutputListener.NONE)));
            }
            for (Future<CommandResult> result : running) {
                assertThat(result.get().exitCode()).isZero();
            }
            // Six seconds one after the other; parallel channels take one (plus slack for a loaded machine).
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(5000));
        } finally {
            threads.shutdownNow();
        }
        assertThat(node1().activeConnections()).isEqualTo(1);
    }

    @Test
    void setsEnvironmentAndWorkingDirectoryAndQuotesEveryValue() throws Exception {
        Path workdir = Files.createDirectories(node1().dir().resolve("dir with 'quotes' and ; semicolons"));
        String hostile = "1.2.3'; touch INJECTED; echo '$(touch INJECTED2)`touch INJECTED3`";
        RemoteCommand command = new RemoteCommand("pwd; printf '%s\\n' \"$VERSION\"; echo " + ShellQuote.quote(hostile),
                TIMEOUT, false, Map.of("VERSION", hostile), workdir.toString(), false);

        CommandResult result = session(node1()).exec(command, OutputListener.NONE);

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).isEqualTo(workdir + "\n" + hostile + "\n" + hostile + "\n");
        try (var files = Files.list(workdir)) {
            assertThat(files).isEmpty();
        }
        assertThat(node1().dir().resolve("INJECTED")).doesNotExist();
        assertThat(node1().dir().resolve("INJECTED2")).doesNotExist();
        assertThat(node1().dir().resolve("INJECTED3")).doesNotExist();
    }

    @Test
    void aHostileNodeNameStaysOneWordAndInjectsNothing(@TempDir Path nodes) throws Exception {
        String hostileName = "db-1$(touch PWNED1);touch PWNED2`touch PWNED3`'\"";
        try (EmbeddedSshNode hostile = EmbeddedSshNode.builder(hostileName, nodes.resolve("hostile"))
                .authorizedKey(cluster.clientKey()).start()) {
            NodeSession session = connector.session(EmbeddedTargets.target(hostile, cluster.clientKey(),
                    EmbeddedTargets.knownHostsOf(hostile)).build());

            CommandResult result = session.exec(RemoteCommand.of("printf '%s|%s\\n' " + ShellQuote.quote(hostileName)
                    + " \"$NODE_NAME\"", TIMEOUT), OutputListener.NONE);

            assertThat(result.stdout()).isEqualTo(hostileName + "|" + hostileName + "\n");
            try (var files = Files.list(hostile.dir())) {
                assertThat(files).isEmpty();
            }
            assertThat(session.node()).isEqualTo(hostileName);
        }
    }

    @Test
    void refusesAnEnvironmentVariableNameThatIsNotAShellName() {
        RemoteCommand command = new RemoteCommand("true", TIMEOUT, false, Map.of("X;touch y", "1"), null, false);

        assertThatThrownBy(() -> session(node1()).exec(command, OutputListener.NONE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("X;touch y");
    }

    @Test
    void keepsATailOfHugeOutputAndCountsTheRest() throws Exception {
        AtomicLong lines = new AtomicLong();
        CommandResult result = session(node1()).exec(RemoteCommand.of("seq 1 300000; echo done >&2", TIMEOUT),
                (stream, line) -> lines.incrementAndGet());

        assertThat(result.exitCode()).isZero();
        assertThat(lines.get()).isEqualTo(300_001);
        assertThat(result.stdout()).endsWith("299999\n300000\n").hasSizeLessThanOrEqualTo(OutputCapture.TAIL_CHARS);
        assertThat(result.droppedLines()).isGreaterThan(250_000);
        assertThat(result.stdout().lines().count() + result.droppedLines()).isEqualTo(300_000);
        assertThat(result.stderr()).isEqualTo("done\n");
    }

    @Test
    void killsTheRemoteProcessGroupAtTheTimeoutAndSaysSo() throws Exception {
        NodeSession session = session(node1());
        RemoteCommand hanging = RemoteCommand.of(
                "echo $$ > main.pid; sleep 120 & echo $! > child.pid; echo started; wait", Duration.ofSeconds(1));

        CommandResult result = session.exec(hanging, OutputListener.NONE);

        assertThat(result.timedOut()).isTrue();
        assertThat(result.exitCode()).isEqualTo(-1);
        assertThat(result.stdout()).isEqualTo("started\n");
        assertThat(result.stderr()).contains("timed out after PT1S").contains("killed (SIGTERM)");
        assertThat(result.elapsed()).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(8));
        assertGone(session, "main.pid");
        assertGone(session, "child.pid");
    }

    @Test
    void escalatesToSigkillWhenTheCommandIgnoresSigterm() throws Exception {
        NodeSession session = session(node1());
        RemoteCommand stubborn = RemoteCommand.of("trap '' TERM; echo $$ > stubborn.pid; while :; do sleep 0.1; done",
                Duration.ofSeconds(1));

        CommandResult result = session.exec(stubborn, OutputListener.NONE);

        assertThat(result.timedOut()).isTrue();
        assertThat(result.stderr()).contains("SIGKILL");
        assertGone(session, "stubborn.pid");
    }

    private static void assertGone(NodeSession session, String pidFile) throws SshException {
        // A zombie is not running: orphans may never be reaped where PID 1 is no init.
        CommandResult check = session.exec(RemoteCommand.of("s=$(cat /proc/$(cat " + pidFile + ")/stat 2>/dev/null);"
                + " s=${s##*) }; if [ -n \"$s\" ] && [ \"${s%% *}\" != Z ]; then echo alive; else echo gone; fi",
                TIMEOUT), OutputListener.NONE);
        assertThat(check.stdout()).as("process of " + pidFile).isEqualTo("gone\n");
    }

    @Test
    void cancellingARunningCommandKillsItOnTheNode() throws Exception {
        NodeSession session = session(node1());
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        Thread worker = new Thread(() -> {
            try {
                session.exec(RemoteCommand.of("echo $$ > cancelled.pid; sleep 120", TIMEOUT), OutputListener.NONE);
                failure.complete(null);
            } catch (Throwable e) {
                failure.complete(e);
            }
        });
        worker.start();
        waitForFile(node1().dir().resolve("cancelled.pid"));
        worker.interrupt();

        assertThat(failure.get()).isInstanceOf(SshException.class).hasMessageContaining("cancelled")
                .hasMessageContaining("killed (SIGTERM)");
        worker.join();
        assertGone(session, "cancelled.pid");
    }

    /** JSch swallows an interrupt while it waits for the server to accept the command; the session must not. */
    @Test
    void aCancellationWhileTheCommandIsBeingStartedIsNotLost() throws Exception {
        NodeSession session = session(node1());
        session.exec(RemoteCommand.of("true", TIMEOUT), OutputListener.NONE);
        long start = System.nanoTime();
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> session.exec(RemoteCommand.of("sleep 117", TIMEOUT), OutputListener.NONE))
                    .isInstanceOf(SshException.class).hasMessageContaining("cancelled");
            assertThat(Thread.currentThread().isInterrupted()).as("the interrupt is kept for the caller").isTrue();
        } finally {
            Thread.interrupted();
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        CommandResult left = session.exec(RemoteCommand.of("pgrep -f 'slee[p] 117' || echo none", TIMEOUT),
                OutputListener.NONE);
        assertThat(left.stdout()).isEqualTo("none\n");
    }

    @Test
    void masksSecretsInLinesResultsAndMessages() throws Exception {
        masker.register(Secret.of("hunter2-secret"));
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        NodeSession session = session(node1());

        CommandResult result = session.exec(RemoteCommand.of(
                "echo token=hunter2-secret; echo hunter2-secret >&2", TIMEOUT), (stream, line) -> lines.add(line));

        assertThat(lines).containsExactlyInAnyOrder("token=****", "****");
        assertThat(result.stdout()).isEqualTo("token=****\n");
        assertThat(result.stderr()).isEqualTo("****\n");

        CompletableFuture<Void> drop = CompletableFuture.runAsync(() -> {
            waitForFile(node1().dir().resolve("lost.pid"));
            node1().dropConnections();
        });
        assertThatThrownBy(() -> session.exec(RemoteCommand.of("echo $$ > lost.pid; sleep 5; echo hunter2-secret",
                TIMEOUT), OutputListener.NONE))
                .isInstanceOf(SshException.class)
                .hasMessageContaining("outcome is unknown")
                .hasMessageContaining("echo ****")
                .hasMessageNotContaining("hunter2-secret");
        drop.get();
    }

    @Test
    void reconnectsOnceWhenTheConnectionDiedBetweenCommands() throws Exception {
        NodeSession session = session(node1());
        assertThat(session.exec(RemoteCommand.of("echo before", TIMEOUT), OutputListener.NONE).stdout()).isEqualTo("before\n");

        node1().dropConnections();
        waitUntil(() -> node1().activeConnections() == 0);

        assertThat(session.exec(RemoteCommand.of("echo after", TIMEOUT), OutputListener.NONE).stdout()).isEqualTo("after\n");
    }

    @Test
    void doesNotRerunACommandWhoseOutcomeIsUnknownUnlessItIsIdempotent() throws Exception {
        NodeSession session = session(node1());
        Path counter = node1().dir().resolve("runs");
        Files.deleteIfExists(counter);
        String countAndWait = "echo run >> runs; echo $$ > lost.pid; sleep 3";
        Files.deleteIfExists(node1().dir().resolve("lost.pid"));

        CompletableFuture<Void> drop = CompletableFuture.runAsync(() -> {
            waitForFile(node1().dir().resolve("lost.pid"));
            node1().dropConnections();
        });
        assertThatThrownBy(() -> session.exec(RemoteCommand.of(countAndWait, TIMEOUT), OutputListener.NONE))
                .isInstanceOf(SshException.class)
                .hasMessageContaining("node-1")
                .hasMessageContaining("outcome is unknown")
                .hasMessageContaining("not re-run");
        drop.get();
        assertThat(Files.readAllLines(counter)).hasSize(1);

        Files.delete(node1().dir().resolve("lost.pid"));
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Void> dropAgain = CompletableFuture.runAsync(() -> {
            waitForFile(node1().dir().resolve("lost.pid"));
            node1().dropConnections();
        });
        RemoteCommand idempotent = new RemoteCommand(countAndWait.replace("sleep 3", "[ -f second ] || { touch second; sleep 3; }"),
                TIMEOUT, false, null, null, true);
        Files.deleteIfExists(node1().dir().resolve("second"));
        CommandResult result = session.exec(idempotent, (stream, line) -> lines.add(line));
        dropAgain.get();

        assertThat(result.exitCode()).isZero();
        assertThat(lines).anyMatch(line -> line.contains("running the idempotent command again"));
    }

    @Test
    void uploadsAFileAndVerifiesItsChecksumOnTheNode(@TempDir Path local) throws Exception {
        byte[] content = new byte[3 * 1024 * 1024 + 17];
        new Random(42).nextBytes(content);
        Path file = Files.write(local.resolve("package.bin"), content);
        Path script = Files.writeString(local.resolve("hello.sh"), "#!/bin/sh\necho hello from \"$NODE_NAME\"\n");
        NodeSession session = session(node1());

        Upload upload = session.upload(file, node1().dir().resolve("package.bin").toString(), 0644);
        Upload uploadedScript = session.upload(script, node1().dir().resolve("hello.sh").toString(), 0755);

        assertThat(upload.size()).isEqualTo(content.length);
        assertThat(upload.sha256()).hasSize(64);
        assertThat(Files.readAllBytes(node1().dir().resolve("package.bin"))).isEqualTo(content);
        assertThat(node1().dir().resolve("package.bin.ha-upgrade-part")).doesNotExist();
        assertThat(session.exec(RemoteCommand.of(ShellQuote.quote(uploadedScript.remotePath()), TIMEOUT),
                OutputListener.NONE).stdout()).isEqualTo("hello from node-1\n");
    }

    @Test
    void runsOnManyNodesWithBoundedParallelismAndReportsEachNode() throws Exception {
        List<SshTarget> targets = new ArrayList<>();
        for (EmbeddedSshNode node : cluster.nodes()) {
            targets.add(EmbeddedTargets.target(cluster, node).build());
        }
        SshTarget unreachable = EmbeddedTargets.target(cluster, node1()).build().toBuilder().port(freePort()).build();
        targets.add(new SshTarget("node-down", unreachable.host(), unreachable.port(), unreachable.credential(),
                unreachable.hostKeys(), null, Duration.ofSeconds(2), unreachable.keepAlive(), 0,
                unreachable.retryBackoff(), null));

        List<NodeOutcome<String>> outcomes = connector.onEach(targets, 2,
                session -> session.exec(RemoteCommand.of("echo \"$NODE_NAME\"", TIMEOUT), OutputListener.NONE).stdout().strip());

        assertThat(outcomes).extracting(NodeOutcome::node).containsExactly("node-1", "node-2", "node-3", "node-down");
        assertThat(outcomes.subList(0, 3)).extracting(NodeOutcome::value).containsExactly("node-1", "node-2", "node-3");
        assertThat(outcomes.get(3).succeeded()).isFalse();
        assertThat(outcomes.get(3).failure()).hasMessageContaining("node-down").hasMessageContaining("connection refused");
    }

    @Test
    void closingTheConnectorClosesEveryConnection() throws Exception {
        for (EmbeddedSshNode node : cluster.nodes()) {
            session(node).exec(RemoteCommand.of("true", TIMEOUT), OutputListener.NONE);
        }
        assertThat(connector.openSessions()).isEqualTo(3);

        connector.close();

        waitUntil(() -> cluster.nodes().stream().allMatch(node -> node.activeConnections() == 0));
        assertThatThrownBy(() -> session(node1())).isInstanceOf(SshException.class).hasMessageContaining("closed");
    }

    static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    static void waitForFile(Path file) {
        waitUntil(() -> Files.exists(file));
    }

    static void waitUntil(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }
}
