package io.haupgrade.cli;

import io.haupgrade.embedded.DemoCluster;
import io.haupgrade.execute.ApprovalDecision;
import io.haupgrade.execute.ApprovalDecision.Answer;
import io.haupgrade.execute.Approver;
import io.haupgrade.execute.NodeSessions;
import io.haupgrade.execute.Rollout;
import io.haupgrade.execute.RolloutContext;
import io.haupgrade.execute.RolloutRequest;
import io.haupgrade.execute.SshNodeSessions;
import io.haupgrade.shell.ShellQuote;
import io.haupgrade.spec.ClusterSpec;
import io.haupgrade.spec.SpecException;
import io.haupgrade.spec.SpecLoader;
import io.haupgrade.ssh.SecretMasker;
import io.haupgrade.ssh.SshConnector;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ha-upgrade demo}: starts a three-node cluster in this process (embedded SSH servers, a versioned HTTP
 * service per node, a virtual IP following the MASTER), writes its cluster file, loads it like any user's file and
 * upgrades it from 1.0 to 1.1 over SSH on exactly the path of {@code ha-upgrade run}, with the downtime probe on the
 * virtual IP. Everything it started is stopped before it returns.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Upgrade a demo cluster started in this process from 1.0 to 1.1, for real, over SSH.",
            "Three nodes (embedded SSH servers on 127.0.0.1) each serve a small versioned HTTP service behind a "
                + "virtual IP that follows the MASTER like a keepalived VIP. The upgrade runs with the downtime probe "
                + "on the virtual IP, exactly as 'ha-upgrade run' would run it.",
            "Nothing stays running afterwards. The directory keeps the cluster file, the nodes' files and the run's "
                + "journal and report."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            ExitCodes.OK + ":every node runs 1.1",
            ExitCodes.RUN_FAILED + ":the run failed or was stopped (e.g. --fail-on: rolled back, the summary says "
                    + "how to continue)",
            ExitCodes.INVALID + ":wrong usage (e.g. --fail-on names no demo node)",
            ExitCodes.REFUSED + ":refused before any node was touched",
            ExitCodes.CANCELLED + ":cancelled with Ctrl-C"})
final class DemoCommand implements Callable<Integer> {
    static final String CLUSTER_FILE = "demo-cluster.yaml";
    static final int NODES = 3;
    static final String AUTO_APPROVAL = "approved automatically (demo)";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    @Spec
    CommandSpec command;

    @Option(names = "--dir", paramLabel = "DIR", description = "Directory of the demo (nodes, cluster file, runs). "
            + "Default: a new temporary directory. A directory of an earlier demo is started again as it was left, "
            + "so a stopped demo continues where it stopped.")
    Path dir;

    @Option(names = "--fail-on", paramLabel = "NODE", description = "Make the upgraded service of NODE (node1, node2 "
            + "or node3) fail to start, to see the failure policy roll the node back and stop the rollout.")
    String failOn;

    @Option(names = "--interactive", description = "Ask on the terminal at the approval before the switchover "
            + "instead of approving automatically.")
    boolean interactive;

    @Option(names = "--serve", description = "Only start the demo cluster and write its cluster file, then wait "
            + "(Enter stops it): run 'ha-upgrade run' against it yourself.")
    boolean serve;

    @Mixin
    OutputOptions output = new OutputOptions();

    @Override
    public Integer call() throws IOException {
        PrintWriter out = command.commandLine().getOut();
        PrintWriter err = command.commandLine().getErr();
        if (failOn != null && !failOn.matches(DemoCluster.PREFIX + "[1-" + NODES + "]")) {
            err.println("--fail-on " + failOn + ": no such demo node; hint: name one of node1, node2, node3");
            return ExitCodes.INVALID;
        }
        long began = System.nanoTime();
        Path home = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("ha-upgrade-demo-");
        boolean again = Files.isDirectory(home.resolve("nodes"));
        int code;
        try (DemoCluster cluster = DemoCluster.start(home, NODES, DemoSpec.FROM)) {
            if (failOn != null) {
                Files.writeString(cluster.node(failOn).dir().resolve(DemoSpec.FAIL_FLAG), "made by --fail-on\n");
            }
            Path file = cluster.dir().resolve(CLUSTER_FILE);
            Files.writeString(file, DemoSpec.yaml(cluster), StandardCharsets.UTF_8);
            describe(out, cluster, file, again);
            if (serve) {
                return serve(out, cluster, file);
            }
            code = upgrade(out, err, cluster, file);
            explain(out, code, cluster);
        }
        out.println("demo cluster stopped; the demo took "
                + ConsoleRenderer.elapsed(Duration.ofNanos(System.nanoTime() - began)));
        out.flush();
        return code;
    }

    private void describe(PrintWriter out, DemoCluster cluster, Path file, boolean again) {
        out.println((again ? "demo cluster started again as it was left in " : "demo cluster started in ")
                + cluster.dir());
        for (var node : cluster.nodes()) {
            out.println("  " + node.name() + ": ssh " + node.user() + "@" + node.host() + " -p " + node.port()
                    + ", service " + cluster.service(node.name()).url() + version(node.dir()));
        }
        out.println("  virtual IP: " + cluster.endpoint().url() + " -> " + cluster.endpoint().master().orElse("nobody")
                + " (follows the node whose role file says MASTER)");
        out.println("  cluster file: " + file);
        if (failOn != null) {
            out.println("  --fail-on " + failOn + ": its upgraded service will not start ("
                    + cluster.node(failOn).dir().resolve(DemoSpec.FAIL_FLAG) + ")");
        }
        out.println();
        out.flush();
    }

    private static String version(Path nodeDir) {
        try {
            return " on " + Files.readString(nodeDir.resolve("app/version")).strip();
        } catch (IOException e) {
            return "";
        }
    }

    /** Loads the written file like any user's and runs it on the path of {@code ha-upgrade run}. */
    private int upgrade(PrintWriter out, PrintWriter err, DemoCluster cluster, Path file) throws IOException {
        ClusterSpec spec;
        try {
            spec = SpecLoader.load(file);
        } catch (SpecException e) {
            ValidateCommand.printErrors(err, e.errors());
            return ExitCodes.INVALID;
        }
        Clock clock = Clock.systemUTC();
        String me = System.getProperty("user.name", "demo");
        CliCredentials key = new CliCredentials(Map.of(), cluster.clientKeyFile(), null, null, Map.of());
        NodeSessions sessions = new SshNodeSessions(spec, new SshConnector(new SecretMasker()), key,
                (presented, where) -> out.println("WARNING: trusted a new host key of " + presented));
        RolloutContext context = new RolloutContext(sessions,
                new ConsoleRenderer(out, output.level(), System.console() != null), clock);
        String runId = spec.name() + "-" + STAMP.format(clock.instant());
        // A demo killed in the middle (kill, a second Ctrl-C) left a run without an end: resume it from its journal.
        Optional<Path> unfinished = RunCommand.latestUnfinished(cluster.dir().resolve("runs"), spec.name());
        Path runDir = unfinished.orElse(cluster.dir().resolve("runs").resolve(runId));
        out.println((unfinished.isPresent() ? "resuming the unfinished run in " : "run directory: ") + runDir);
        Rollout rollout;
        try {
            rollout = unfinished.isPresent()
                    ? Rollout.resume(runDir, spec, context, me, RunCommand.host(), null, false)
                    : Rollout.start(new RolloutRequest(spec, null, null, runId, runDir, me, RunCommand.host(), null,
                            false), context);
        } catch (IOException | RuntimeException e) {
            sessions.close();
            throw e;
        }
        return RunCommand.drive(rollout, approver(out, clock, me), me, clock, out);
    }

    private Approver approver(PrintWriter out, Clock clock, String me) {
        if (interactive) {
            return new TerminalApprover(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)),
                    out, me, clock);
        }
        return request -> Optional.of(request.choices().contains(Answer.PROCEED)
                ? ApprovalDecision.of(request.id(), Answer.PROCEED, "demo", clock.instant(),
                        AUTO_APPROVAL + "; --interactive asks you")
                : ApprovalDecision.of(request.id(), Answer.ABORT, "demo", clock.instant(),
                        "a failure is never retried or skipped without a person; --interactive asks you"));
    }

    /** After the run: what happened to the service, and after a failure the exact way on. */
    private void explain(PrintWriter out, int code, DemoCluster cluster) {
        out.println();
        if (code == ExitCodes.OK) {
            out.println("Every node runs " + DemoSpec.TARGET + "; the virtual IP now goes to "
                    + cluster.endpoint().master().orElse("nobody") + ".");
            out.println("Read the cluster file above to see what ran; '" + self() + " demo --dir " + word(cluster.dir())
                    + " --serve' starts this cluster again for 'ha-upgrade run'.");
            return;
        }
        if (failOn != null) {
            Path flag = cluster.node(failOn).dir().resolve(DemoSpec.FAIL_FLAG);
            out.println("The run stopped because " + failOn + "'s service did not start on " + DemoSpec.TARGET
                    + " (--fail-on " + failOn + "): the failure policy (rollback) restored " + failOn
                    + " from its snapshot and put it back in service, and no further node was touched.");
            out.println("Exit code " + code + " means the run failed; the service stayed up (see the probe above).");
            out.println("To continue: remove the cause, then start the demo again on the same directory; the new "
                    + "run finds the nodes already on " + DemoSpec.TARGET + " and upgrades only the others:");
            out.println("  rm " + word(flag));
            out.println("  " + self() + " demo --dir " + word(cluster.dir()));
        } else {
            out.println("The run did not succeed (exit code " + code + "); the summary above says where it stopped. "
                    + "'" + self() + " demo --dir " + word(cluster.dir()) + "' starts this cluster again and continues.");
        }
    }

    /** Waits for Enter (or the end of input) with the cluster up, so a person can run the cluster file. */
    private int serve(PrintWriter out, DemoCluster cluster, Path file) throws IOException {
        out.println("The demo cluster runs until you press Enter. In another terminal:");
        out.println("  " + self() + " run " + word(file) + " --identity " + word(cluster.clientKeyFile()) + " --yes");
        out.flush();
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        out.println("demo cluster stopped");
        return ExitCodes.OK;
    }

    /** A path as one shell word, for the commands printed to copy and paste. */
    static String word(Path path) {
        return ShellQuote.quote(path.toString());
    }

    /** How this program was started: {@code java -jar <jar>} when run from the jar, else {@code ha-upgrade}. */
    static String self() {
        try {
            Path where = Path.of(DemoCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return where.toString().endsWith(".jar") ? "java -jar " + word(where) : "ha-upgrade";
        } catch (URISyntaxException | RuntimeException e) {
            return "ha-upgrade";
        }
    }
}
