package io.haupgrade.lab;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * A running lab: keepalived or Pacemaker nodes on this machine ({@link LabKind}), each a network namespace with its
 * own mount, UTS, IPC and PID namespaces, running Debian's sshd, the cluster software and a small versioned HTTP
 * service behind the VIP; and a client namespace where the tool under test and the probe run. Built by
 * {@code lab/lab.sh} (test resources).
 *
 * <p>{@link #start} removes leftovers of an earlier run of the same kind that was killed; {@link #close} (also run by
 * a JVM shutdown hook) kills every process of the lab and removes its namespaces, route and files. One lab of each
 * kind per machine at a time.
 */
public final class Lab implements AutoCloseable {
    /** Every namespace and directory of a keepalived lab is named with this prefix; teardown finds leftovers by it. */
    public static final String NAMESPACE_PREFIX = LabKind.KEEPALIVED.prefix();
    public static final String CLIENT_NAMESPACE = LabKind.KEEPALIVED.clientNamespace();
    public static final String CLIENT_ADDRESS = LabKind.KEEPALIVED.clientAddress();

    static final List<String> SCRIPTS = List.of("lab.sh", "node-init.sh", "appctl", "app-server.py",
            "keepalived-notify.sh", "systemctl", "lab-app-agent");
    private static final Duration TEARDOWN_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration NODE_COMMAND_TIMEOUT = Duration.ofSeconds(30);

    private final LabConfig config;
    private final Path dir;
    private final List<LabNode> nodes;
    private final Duration bringUpTime;
    private final List<Process> clientProcesses = new CopyOnWriteArrayList<>();
    private final Thread shutdownHook;
    private volatile boolean closed;

    private Lab(LabConfig config, Path dir, Duration bringUpTime, Thread shutdownHook) {
        this.config = config;
        this.dir = dir;
        this.nodes = IntStream.rangeClosed(1, config.nodes()).mapToObj(i -> LabNode.numbered(config.kind(), i)).toList();
        this.bringUpTime = bringUpTime;
        this.shutdownHook = shutdownHook;
    }

    /**
     * Builds and starts a lab and waits until it is ready: every node up, exactly one node serving the VIP (for
     * Pacemaker: every node online, the service clone and the VIP started).
     */
    public static Lab start(LabConfig config) {
        Path dir = createRunDirectory(config.kind());
        // Registered before anything starts, so that even a JVM killed during bring-up (SIGTERM) tears down.
        Thread hook = new Thread(() -> teardown(dir, config.kind()), "lab-teardown");
        Runtime.getRuntime().addShutdownHook(hook);
        CommandOutput up;
        try {
            up = script(dir, config, config.upTimeout().plus(Duration.ofSeconds(15)), "up");
        } catch (RuntimeException e) {
            String logs = nodeLogs(dir);
            abandon(dir, config.kind(), hook);
            throw new LabException("lab bring-up failed: " + e.getMessage() + logs, e);
        }
        if (!up.succeeded()) {
            String logs = nodeLogs(dir);
            abandon(dir, config.kind(), hook);
            throw new LabException("lab bring-up failed (exit " + up.exitCode() + "): " + up.stderr().strip() + logs);
        }
        return new Lab(config, dir, up.elapsed(), hook);
    }

    public LabConfig config() {
        return config;
    }

    public List<LabNode> nodes() {
        return nodes;
    }

    public LabNode node(String name) {
        return nodes.stream().filter(n -> n.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no lab node named " + name + "; nodes: "
                        + nodes.stream().map(LabNode::name).toList()));
    }

    public String vip() {
        return config.vip();
    }

    /** The service through the VIP, as the probe and the tool under test reach it from the client namespace. */
    public String serviceUrl() {
        return "http://" + config.vip() + ":" + LabNode.SERVICE_PORT + "/";
    }

    /** This run's directory: scripts/, nodes/NAME/ (each node's files), client/ (SSH key and known_hosts). */
    public Path directory() {
        return dir;
    }

    /** The client's private key; its public half is root's authorized key on every node. */
    public Path clientKey() {
        return dir.resolve("client/id_ed25519");
    }

    /** known_hosts for the client: every node's host key under its lab address. */
    public Path knownHosts() {
        return dir.resolve("client/known_hosts");
    }

    /**
     * Writes this lab's cluster spec ({@code lab/cluster.yaml} with the lab directory filled in) into the lab
     * directory and returns its path.
     */
    public Path clusterSpec() {
        return clusterSpec("cluster.yaml");
    }

    /** {@link #clusterSpec()} for another cluster file of the lab's resources ({@code lab/<name>}). */
    public Path clusterSpec(String name) {
        try (InputStream in = Lab.class.getResourceAsStream("/lab/" + name)) {
            if (in == null) {
                throw new LabException("lab/" + name + " is missing from the class path");
            }
            String text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                    .replace("@LAB_DIR@", dir.toString());
            return Files.writeString(dir.resolve(name), text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the lab's cluster spec", e);
        }
    }

    /** How long {@link #start} took from the first command until the lab was ready. */
    public Duration bringUpTime() {
        return bringUpTime;
    }

    /** The system ssh client's arguments to run {@code remoteCommand} as root on {@code node}, strict host keys. */
    public List<String> sshCommand(String node, String remoteCommand) {
        return List.of("ssh", "-F", "none", "-i", clientKey().toString(), "-o", "IdentitiesOnly=yes",
                "-o", "UserKnownHostsFile=" + knownHosts(), "-o", "GlobalKnownHostsFile=/dev/null",
                "-o", "StrictHostKeyChecking=yes", "-o", "BatchMode=yes", "-o", "ConnectTimeout=3",
                "-o", "LogLevel=ERROR", "root@" + node(node).address(), remoteCommand);
    }

    /** Runs {@code remoteCommand} on {@code node} over SSH from the client namespace. */
    public CommandOutput ssh(String node, String remoteCommand) {
        return runInClient(sshCommand(node, remoteCommand), NODE_COMMAND_TIMEOUT);
    }

    /** Runs a command in the client namespace (where the tool under test runs) and waits for it. */
    public CommandOutput runInClient(List<String> command, Duration timeout) {
        requireOpen();
        return Commands.run(inClient(command), Map.of(), timeout);
    }

    /**
     * Starts a command in the client namespace and returns it running; its standard error goes to a file in the
     * lab directory. The lab kills it at {@link #close} if it still runs.
     */
    public Process startInClient(List<String> command, String logName) {
        requireOpen();
        try {
            Process process = new ProcessBuilder(inClient(command))
                    .redirectError(dir.resolve(logName + ".stderr.log").toFile()).start();
            clientProcesses.add(process);
            return process;
        } catch (IOException e) {
            throw new LabException("cannot start " + String.join(" ", command) + " in " + config.kind().clientNamespace() + ": "
                    + e.getMessage(), e);
        }
    }

    /** The command line that runs {@code mainClass} of this JVM's class path in a new JVM (for {@link #startInClient}). */
    public static List<String> javaCommand(Class<?> mainClass, String... arguments) {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        var command = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-Xmx64m",
                "-cp", System.getProperty("java.class.path"), mainClass.getName()));
        command.addAll(Arrays.asList(arguments));
        return command;
    }

    /** The nodes whose eth0 holds the VIP now (exactly one in a healthy lab). */
    public List<String> vipHolders() {
        requireOpen();
        return nodes.stream().filter(n -> holdsVip(n.namespace())).map(LabNode::name).toList();
    }

    /** The node's VRRP state as its notify script last wrote it (MASTER, BACKUP, FAULT, STOP), or DOWN. */
    public String vrrpState(String node) {
        return initPid(node).map(pid -> Path.of("/proc", Long.toString(pid), "root/run/keepalived.state"))
                .map(Lab::readOrEmpty).filter(s -> !s.isEmpty()).orElse("DOWN");
    }

    /** The node's init (PID 1 of its PID namespace) as the root namespace sees it, while the node runs. */
    public Optional<Long> initPid(String node) {
        Path pidFile = dir.resolve("nodes").resolve(node(node).name()).resolve("init.pid");
        String pid = readOrEmpty(pidFile);
        if (pid.isEmpty()) {
            return Optional.empty();
        }
        return ProcessHandle.of(Long.parseLong(pid)).filter(ProcessHandle::isAlive).map(ProcessHandle::pid);
    }

    /** Kills the node's init and so every process of the node: a node crash. Returns once it is gone. */
    public void killNode(String node) {
        script(dir, config, NODE_COMMAND_TIMEOUT, "node-kill", node(node).name()).requireSuccess("kill node " + node);
    }

    /** Starts a node that was killed (a reboot) and waits until its sshd, keepalived and service run. */
    public void startNode(String node) {
        script(dir, config, config.upTimeout().plus(Duration.ofSeconds(5)), "node-up", node(node).name())
                .requireSuccess("start node " + node);
    }

    /** Waits until {@code condition} holds, polling every 20 ms; fails naming {@code what} after {@code timeout}. */
    public static Duration await(String what, Duration timeout, BooleanSupplier condition) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new LabException("timed out after " + timeout.toMillis() + " ms waiting for " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LabException("interrupted while waiting for " + what, e);
            }
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /**
     * Host PIDs of every process of the lab now: those in its namespaces (node inits, daemons, client commands) and
     * the nodes' watchers in the root namespace.
     */
    public Set<Long> processIds() {
        Set<Long> pids = new HashSet<>();
        for (LabNode node : nodes) {
            String watcher = readOrEmpty(dir.resolve("nodes").resolve(node.name()).resolve("watcher.pid"));
            if (!watcher.isEmpty() && isRunning(Long.parseLong(watcher))) {
                pids.add(Long.parseLong(watcher));
            }
        }
        for (String namespace : labNamespaces(config.kind())) {
            CommandOutput out = Commands.run(List.of("ip", "netns", "pids", namespace), Map.of(), Duration.ofSeconds(10));
            out.stdout().lines().map(String::strip).filter(s -> !s.isEmpty()).map(Long::valueOf).forEach(pids::add);
        }
        return pids;
    }

    /** Whether the process runs; a zombie (dead, not yet reaped by its parent) does not. */
    public static boolean isRunning(long pid) {
        String stat = readOrEmpty(Path.of("/proc", Long.toString(pid), "stat"));
        // "PID (COMM) STATE ...": COMM may hold spaces and parentheses, the state follows the last ')'.
        int end = stat.lastIndexOf(')');
        return end > 0 && end + 2 < stat.length() && stat.charAt(end + 2) != 'Z' && stat.charAt(end + 2) != 'X';
    }

    /** What a keepalived lab left on this machine: namespaces and directories named {@value #NAMESPACE_PREFIX}*, its route. */
    public static List<String> leftovers() {
        return leftovers(LabKind.KEEPALIVED);
    }

    /** What a lab of {@code kind} left on this machine: its namespaces, directories and route. */
    public static List<String> leftovers(LabKind kind) {
        var found = new ArrayList<String>();
        labNamespaces(kind).forEach(ns -> found.add("namespace " + ns));
        try (Stream<Path> entries = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            entries.filter(p -> p.getFileName().toString().startsWith(kind.prefix()))
                    .forEach(p -> found.add("directory " + p));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Commands.run(List.of("ip", "route", "show", kind.range()), Map.of(), Duration.ofSeconds(10)).stdout()
                .lines().filter(l -> !l.isBlank()).forEach(l -> found.add("route " + l.strip()));
        return found;
    }

    /** Kills every process of the lab and removes its namespaces, route and files. Safe to call twice. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        clientProcesses.forEach(Commands::kill);
        try {
            teardown(dir, config.kind());
        } finally {
            removeHook(shutdownHook);
        }
    }

    private static void teardown(Path dir, LabKind kind) {
        LabConfig any = kind == LabKind.PACEMAKER ? LabConfig.pacemaker() : LabConfig.defaults();
        CommandOutput down = script(dir, any, TEARDOWN_TIMEOUT, "down");
        deleteTree(dir);
        down.requireSuccess("lab teardown");
    }

    private static void abandon(Path dir, LabKind kind, Thread hook) {
        try {
            teardown(dir, kind);
        } finally {
            removeHook(hook);
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is shutting down: the hook is running this teardown already or will run it.
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the lab is closed");
        }
    }

    private List<String> inClient(List<String> command) {
        var full = new ArrayList<>(List.of("ip", "netns", "exec", config.kind().clientNamespace()));
        full.addAll(command);
        return full;
    }

    private static boolean holdsVip(String namespace, String vip) {
        // "up": a crashed node's eth0 is down (lab.sh takes it down when the node's init dies).
        String addresses = Commands.run(List.of("ip", "-n", namespace, "-o", "-4", "addr", "show", "dev", "eth0", "up"),
                Map.of(), Duration.ofSeconds(10)).stdout();
        return addresses.contains(" " + vip + "/");
    }

    private boolean holdsVip(String namespace) {
        return holdsVip(namespace, config.vip());
    }

    static List<String> labNamespaces() {
        return labNamespaces(LabKind.KEEPALIVED);
    }

    static List<String> labNamespaces(LabKind kind) {
        CommandOutput out = Commands.run(List.of("ip", "netns", "list"), Map.of(), Duration.ofSeconds(10));
        return out.stdout().lines().map(l -> l.split("\\s+")[0]).filter(n -> n.startsWith(kind.prefix())).toList();
    }

    private static CommandOutput script(Path dir, LabConfig config, Duration timeout, String... arguments) {
        var command = new ArrayList<>(List.of("bash", dir.resolve("scripts/lab.sh").toString()));
        command.addAll(Arrays.asList(arguments));
        return Commands.run(command, environment(dir, config), timeout);
    }

    private static Map<String, String> environment(Path dir, LabConfig config) {
        return Map.of(
                "LAB_KIND", config.kind().scriptName(),
                "LAB_DIR", dir.toString(),
                "LAB_NODES", Integer.toString(config.nodes()),
                "LAB_VIP", config.vip(),
                "LAB_ADVERT", seconds(config.advertInterval()),
                "LAB_WARMUP", seconds(config.serviceWarmup()),
                "LAB_VERSION", config.initialVersion(),
                "LAB_UP_TIMEOUT", Long.toString(Math.max(1, config.upTimeout().toSeconds())));
    }

    private static String seconds(Duration duration) {
        return java.math.BigDecimal.valueOf(duration.toMillis(), 3).stripTrailingZeros().toPlainString();
    }

    /** A fresh directory named with the kind's prefix (hulab-*, hupm-*) holding the scripts, in the JVM's temporary directory. */
    private static Path createRunDirectory(LabKind kind) {
        try {
            Path dir = Files.createTempDirectory(kind.prefix());
            extractScripts(dir.resolve("scripts"));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the lab directory", e);
        }
    }

    static void extractScripts(Path target) throws IOException {
        Files.createDirectories(target);
        for (String name : SCRIPTS) {
            try (InputStream in = Lab.class.getResourceAsStream("/lab/" + name)) {
                if (in == null) {
                    throw new IOException("lab script missing from the class path: /lab/" + name);
                }
                Files.copy(in, target.resolve(name));
            }
        }
    }

    private static String nodeLogs(Path dir) {
        var text = new StringBuilder();
        try (Stream<Path> files = Files.exists(dir.resolve("nodes")) ? Files.walk(dir.resolve("nodes")) : Stream.empty()) {
            files.filter(p -> p.toString().endsWith(".log") && Files.isRegularFile(p)).sorted().forEach(p -> {
                List<String> lines = readOrEmpty(p).lines().toList();
                text.append("\n--- ").append(dir.relativize(p)).append(" (last lines)\n");
                lines.subList(Math.max(0, lines.size() - 15), lines.size()).forEach(l -> text.append(l).append('\n'));
            });
        } catch (IOException | UncheckedIOException e) {
            text.append("\n(node logs not readable: ").append(e.getMessage()).append(')');
        }
        return text.toString();
    }

    private static String readOrEmpty(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            return "";
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
