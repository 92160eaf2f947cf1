package io.haupgrade.health;

import io.haupgrade.spec.CommandCheckSpec;
import io.haupgrade.spec.CommandSpec;
import io.haupgrade.ssh.CommandResult;
import io.haupgrade.ssh.SshException;
import java.time.Duration;
import java.util.regex.Pattern;

/** Healthy when a command exits with an expected code and its output matches (and does not match the excludes). */
public final class CommandCheck implements HealthCheck {
    private final String name;
    private final CommandCheckSpec spec;
    private final Duration timeout;
    private final NodeCommandRunner runner;

    public CommandCheck(String name, CommandCheckSpec spec, Duration timeout, NodeCommandRunner runner) {
        this.name = name;
        this.spec = spec;
        this.timeout = timeout;
        this.runner = runner;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public CheckResult check(String node, ClusterView view) {
        String target = target(node, view);
        if (target == null) {
            return CheckResult.fail(node, name, "no single primary to run the check on (roles: " + view.roles() + ")",
                    Duration.ZERO);
        }
        CommandSpec command = new CommandSpec(spec.run(), target, "health check " + name, timeout, null, true, 0,
                spec.expectExit(), null, null);
        CommandResult result;
        try {
            result = runner.run(target, node == null ? target : node, command);
        } catch (SshException e) {
            return CheckResult.fail(node, name, "unreachable: " + e.getMessage(), Duration.ZERO);
        }
        String output = (result.stdout() + (result.stderr().isEmpty() ? "" : "\n" + result.stderr())).strip();
        if (result.timedOut()) {
            return CheckResult.fail(node, name, "timed out after " + timeout + "; " + output, result.elapsed());
        }
        if (!spec.expectExit().contains(result.exitCode())) {
            return CheckResult.fail(node, name, "exit " + result.exitCode() + ": " + output, result.elapsed());
        }
        if (spec.outputMatches() != null && !Pattern.compile(spec.outputMatches()).matcher(output).find()) {
            return CheckResult.fail(node, name, "output does not match /" + spec.outputMatches() + "/: " + output,
                    result.elapsed());
        }
        if (spec.outputExcludes() != null && Pattern.compile(spec.outputExcludes()).matcher(output).find()) {
            return CheckResult.fail(node, name, "output matches excluded /" + spec.outputExcludes() + "/: " + output,
                    result.elapsed());
        }
        return CheckResult.pass(node, name, output, result.elapsed());
    }

    /** Where the command runs: the checked node by default, the primary for cluster checks, or a named node. */
    private String target(String node, ClusterView view) {
        String on = spec.on();
        if (on == null || on.equals("self")) {
            return node != null ? node : view.primary().orElse(null);
        }
        if (on.equals("primary")) {
            return view.primary().orElse(null);
        }
        return on;
    }
}
