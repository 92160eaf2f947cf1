package io.haupgrade.cli;

import io.haupgrade.execute.ClusterGate;
import io.haupgrade.health.CheckResult;
import io.haupgrade.health.GateResult;
import io.haupgrade.spec.ClusterSpec;
import io.haupgrade.spec.Durations;
import io.haupgrade.spec.SpecException;
import io.haupgrade.spec.SpecLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ha-upgrade gate FILE}: the cluster health gate on its own; changes nothing on any node. */
@Command(name = "gate", mixinStandardHelpOptions = true,
        description = "Check the cluster's health as a rollout does before each node: every check on every node and "
                + "the cluster checks, in parallel, until green or the timeout. Prints each node's and check's result.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            ExitCodes.OK + ":the cluster is healthy",
            ExitCodes.RUN_FAILED + ":the cluster is not healthy within the timeout",
            ExitCodes.INVALID + ":invalid cluster file or usage"})
final class GateCommand implements Callable<Integer> {
    @Spec
    CommandSpec command;

    @Parameters(index = "0", paramLabel = "FILE", description = "The cluster file.")
    Path file;

    @Option(names = "--timeout", paramLabel = "D", description = "Longest wait for green (e.g. 30s, 5m); 0 checks once. "
            + "Default: the file's health.timeout.")
    String timeout;

    @Option(names = "--interval", paramLabel = "D", description = "Pause between attempts. Default: health.interval.")
    String interval;

    @Mixin
    SshOptions ssh = new SshOptions();

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = command.commandLine().getOut();
        PrintWriter err = command.commandLine().getErr();
        ClusterSpec spec;
        try {
            spec = SpecLoader.load(file);
        } catch (SpecException e) {
            ValidateCommand.printErrors(err, e.errors(), ValidateCommand.sourceLines(file));
            return ExitCodes.INVALID;
        }
        Duration limit = duration(timeout, "--timeout");
        Duration every = duration(interval, "--interval");
        try (ClusterGate gate = new ClusterGate(spec, ssh.sessions(spec, out), Clock.systemUTC())) {
            GateResult result = gate.await(every, limit, attempt -> {
                if (!attempt.healthy()) {
                    out.println("attempt " + attempt.attempt() + ": " + attempt.summary());
                    out.flush();
                }
            }, () -> false);
            print(out, result);
            return result.healthy() ? ExitCodes.OK : ExitCodes.RUN_FAILED;
        }
    }

    static void print(PrintWriter out, GateResult result) {
        out.println(result.healthy() ? "HEALTHY" : "NOT HEALTHY");
        for (Map.Entry<String, List<CheckResult>> node : result.byNode().entrySet()) {
            out.println("  " + node.getKey() + (result.roles().containsKey(node.getKey())
                    ? " (" + ConsoleRenderer.lower(result.roles().get(node.getKey()))
                    + (result.versions().containsKey(node.getKey()) ? ", " + result.versions().get(node.getKey()) : "")
                    + ")" : ""));
            for (CheckResult c : node.getValue()) {
                out.println("    " + (c.passed() ? "ok   " : "FAIL ") + c.check() + ": " + c.output().replace("\n", " | "));
            }
        }
        result.problems().forEach(p -> out.println("  FAIL cluster: " + p));
        out.flush();
    }

    private Duration duration(String text, String option) {
        if (text == null) {
            return null;
        }
        return Durations.parse(text).orElseThrow(() -> new ParameterException(command.commandLine(),
                option + " '" + text + "' is not a duration; " + Durations.HINT));
    }
}
