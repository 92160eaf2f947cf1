package io.haupgrade.cli;

import io.haupgrade.execute.Approver;
import io.haupgrade.execute.Approvers;
import io.haupgrade.execute.DryRun;
import io.haupgrade.execute.Rollout;
import io.haupgrade.execute.RolloutContext;
import io.haupgrade.execute.RolloutRequest;
import io.haupgrade.execute.RolloutRunner;
import io.haupgrade.execute.RunStatus;
import io.haupgrade.execute.StepOutcome;
import io.haupgrade.plan.Plan;
import io.haupgrade.plan.PlanException;
import io.haupgrade.plan.PlanRequest;
import io.haupgrade.plan.Planner;
import io.haupgrade.spec.ClusterSpec;
import io.haupgrade.spec.NodeSpec;
import io.haupgrade.spec.Role;
import io.haupgrade.spec.SpecException;
import io.haupgrade.spec.SpecLoader;
import io.haupgrade.spec.SpecValidator;
import io.haupgrade.spec.Strategy;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ha-upgrade run FILE}: executes the upgrade for real (or prints it with --dry-run). Logic lives in core. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Upgrade the cluster: lock it, read its live roles, plan, and run the plan step by step with "
                + "gates, approvals and the failure policy. Every step goes to a journal in the run directory; a run "
                + "killed at any point continues with --resume.",
            "Ctrl-C stops at the next safe point and undoes the fences the failure policy allows."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            ExitCodes.OK + ":every node runs the target version (or --dry-run printed the plan)",
            ExitCodes.RUN_FAILED + ":the run failed or was stopped (aborted, approval refused or timed out)",
            ExitCodes.INVALID + ":invalid cluster file, run directory or usage",
            ExitCodes.REFUSED + ":refused before any node was touched: lock held, roles disagree, red preflight "
                    + "gate, or plan refused",
            ExitCodes.CANCELLED + ":cancelled with Ctrl-C"})
final class RunCommand implements Callable<Integer> {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    @Spec
    CommandSpec command;

    @Parameters(index = "0", paramLabel = "FILE", description = "The cluster file.")
    Path file;

    @Option(names = "--strategy", paramLabel = "S", converter = PlanCommand.StrategyConverter.class,
            description = "rolling, active-passive, canary, replace or full-stop instead of the file's.")
    Strategy strategy;

    @Option(names = "--target-version", paramLabel = "V", description = "The version to upgrade to; wins over the file's.")
    String targetVersion;

    @Option(names = "--resume", arity = "0..1", paramLabel = "RUN_DIR", fallbackValue = "",
            description = "Continue a run that stopped or died: the given run directory, or without a value the "
                    + "latest unfinished run of this cluster under --runs-dir.")
    String resume;

    @Option(names = "--run-dir", paramLabel = "DIR", description = "Directory of this run (journal.jsonl, "
            + "report.json, report.html). Default: <runs-dir>/<cluster>-<UTC time>.")
    Path runDir;

    @Option(names = "--runs-dir", paramLabel = "DIR", defaultValue = "ha-upgrade-runs",
            description = "Where run directories are made. Default: ${DEFAULT-VALUE}.")
    Path runsDir;

    @Option(names = "--dry-run", description = "Print the plan with the exact commands each node would get; "
            + "connect to nothing.")
    boolean dryRun;

    @Option(names = "--yes", description = "Approve the plan's approval points in advance (unattended). Failures are "
            + "never retried or skipped without a person: they abort.")
    boolean yes;

    @Option(names = "--approver", paramLabel = "NAME", description = "Who answers approvals. Default: the OS user.")
    String approver;

    @Option(names = "--started-by", paramLabel = "NAME", description = "Who starts the run, recorded in the journal "
            + "and the lock. Default: the OS user.")
    String startedBy;

    @Option(names = "--break-lock", description = "Take the cluster lock even if another run holds it. Only when that "
            + "run is certainly dead; the holder is named in the warning and the report.")
    boolean breakLock;

    @Option(names = "--lock-path", paramLabel = "PATH", description = "Lock directory on each node. Default: "
            + ".ha-upgrade/locks/<cluster> in the SSH user's home.")
    String lockPath;

    @Mixin
    OutputOptions output = new OutputOptions();

    @Mixin
    SshOptions ssh = new SshOptions();

    @Override
    public Integer call() {
        PrintWriter out = command.commandLine().getOut();
        PrintWriter err = command.commandLine().getErr();
        ClusterSpec spec;
        try {
            spec = SpecValidator.requireTargetVersion(SpecLoader.load(file), targetVersion, file.toString());
            spec = withStrategy(spec);
        } catch (SpecException e) {
            ValidateCommand.printErrors(err, e.errors());
            return ExitCodes.INVALID;
        }
        if (dryRun) {
            return dryRun(spec, out, err);
        }
        Clock clock = Clock.systemUTC();
        String me = startedBy != null ? startedBy : System.getProperty("user.name", "unknown");
        RolloutContext context = new RolloutContext(ssh.sessions(spec, out),
                new ConsoleRenderer(out, output.level(), System.console() != null), clock);
        Rollout rollout;
        try {
            if (resume != null) {
                Optional<Path> dir = resume.isEmpty() ? latestUnfinished(runsDir, spec.name())
                        : Optional.of(Path.of(resume));
                if (dir.isEmpty()) {
                    err.println("no unfinished run of " + spec.name() + " under " + runsDir
                            + "; hint: pass the run directory: --resume DIR");
                    context.sessions().close();
                    return ExitCodes.INVALID;
                }
                out.println("run directory: " + dir.get().toAbsolutePath());
                rollout = Rollout.resume(dir.get(), spec, context, me, host(), lockPath, breakLock);
            } else {
                Path dir = runDir != null ? runDir
                        : runsDir.resolve(spec.name() + "-" + STAMP.format(clock.instant()));
                out.println("run directory: " + dir.toAbsolutePath());
                rollout = Rollout.start(new RolloutRequest(spec, strategy, targetVersion,
                        spec.name() + "-" + STAMP.format(clock.instant()), dir, me, host(), lockPath, breakLock), context);
            }
        } catch (IOException e) {
            err.println(e.getMessage());
            context.sessions().close();
            return ExitCodes.INVALID;
        }
        return drive(rollout, approver(out, clock), me, clock, out);
    }

    /**
     * Runs {@code rollout} to its end with Ctrl-C mapped to a cancellation, prints the summary and returns the exit
     * code; closes the rollout (its sessions, threads and probe) on every path. {@code run} and {@code demo} share it.
     */
    static int drive(Rollout rollout, Approver approver, String me, Clock clock, PrintWriter out) {
        try (rollout; CtrlC ctrlC = CtrlC.install(() -> rollout.cancel(me, "Ctrl-C"))) {
            StepOutcome.Finished finished = new RolloutRunner(rollout, approver, clock).run();
            if (finished.report() != null) {
                RunSummary.print(out, finished.report(), rollout.runDir());
            } else {
                out.println("report: " + rollout.runDir().resolve("report.html").toAbsolutePath());
            }
            return exitCode(finished.status(), ctrlC.pressed());
        }
    }

    private Approver approver(PrintWriter out, Clock clock) {
        String who = approver != null ? approver : System.getProperty("user.name", "unknown");
        if (yes) {
            return Approvers.approveAll(who, clock);
        }
        if (System.console() != null) {
            return new TerminalApprover(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)),
                    out, who, clock);
        }
        return Approvers.refuseAll("non-interactive (no terminal, no --yes)", clock);
    }

    static int exitCode(RunStatus status, boolean cancelled) {
        return switch (status) {
            case SUCCEEDED -> ExitCodes.OK;
            case REFUSED -> ExitCodes.REFUSED;
            case ABORTED -> cancelled ? ExitCodes.CANCELLED : ExitCodes.RUN_FAILED;
            case FAILED -> ExitCodes.RUN_FAILED;
        };
    }

    private int dryRun(ClusterSpec spec, PrintWriter out, PrintWriter err) {
        Map<String, Role> roles = new LinkedHashMap<>();
        for (NodeSpec n : spec.nodes()) {
            if (n.role() != null) {
                roles.put(n.name(), n.role());
            }
        }
        try {
            Plan plan = Planner.plan(new PlanRequest(spec, strategy, targetVersion, null, roles, null));
            out.print(DryRun.render(spec, plan, roles));
            out.println("(dry run: roles as declared; a real run reads them from the cluster before each node)");
            return ExitCodes.OK;
        } catch (PlanException e) {
            err.println("plan refused: " + e.format());
            return ExitCodes.REFUSED;
        }
    }

    private ClusterSpec withStrategy(ClusterSpec spec) throws SpecException {
        if (strategy == null || strategy == spec.policy().strategy()) {
            return spec;
        }
        ClusterSpec changed = new ClusterSpec(spec.name(), spec.description(), spec.profile(), spec.targetVersion(),
                spec.currentVersion(), spec.ssh(), spec.nodes(), spec.groups(), spec.discovery(), spec.commands(),
                spec.hooks(), spec.health(), spec.probe(), spec.policy().withStrategy(strategy), spec.compatibility(),
                spec.variables());
        var errors = SpecValidator.validate(changed);
        if (!errors.isEmpty()) {
            throw new SpecException(errors);
        }
        return changed;
    }

    /**
     * The newest run directory of this cluster whose journal has no end: named as a run gets named by default,
     * {@code <cluster>-<UTC time>} exactly, so that cluster lb never picks a run of lb-east.
     */
    static Optional<Path> latestUnfinished(Path runsDir, String cluster) {
        if (!Files.isDirectory(runsDir)) {
            return Optional.empty();
        }
        Pattern ownRun = Pattern.compile(Pattern.quote(cluster) + "-\\d{8}-\\d{6}");
        try (Stream<Path> dirs = Files.list(runsDir)) {
            return dirs.filter(d -> ownRun.matcher(d.getFileName().toString()).matches())
                    .filter(d -> Files.exists(d.resolve(Rollout.JOURNAL)))
                    .filter(d -> !finished(d))
                    .max(Comparator.comparing(d -> d.getFileName().toString()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static boolean finished(Path dir) {
        try {
            return Files.readString(dir.resolve(Rollout.JOURNAL)).contains("\"type\":\"run-finished\"");
        } catch (IOException e) {
            return false;
        }
    }

    static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown-host";
        }
    }
}
