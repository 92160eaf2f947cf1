package io.haupgrade.execute;

import io.haupgrade.health.NodeCommandRunner;
import io.haupgrade.lock.LockTransport;
import io.haupgrade.spec.ClusterSpec;
import io.haupgrade.spec.CommandSpec;
import io.haupgrade.spec.NodeSpec;
import io.haupgrade.spec.Template;
import io.haupgrade.spec.TemplateException;
import io.haupgrade.spec.Variables;
import io.haupgrade.ssh.CommandResult;
import io.haupgrade.ssh.NodeSession;
import io.haupgrade.ssh.OutputListener;
import io.haupgrade.ssh.RemoteCommand;
import io.haupgrade.ssh.SshException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Runs spec commands on nodes: renders them with {@link Template} (values shell-quoted), resolves where they run
 * ({@code on}), applies timeouts, sudo and retries, and reports every command as events. The one way the engine
 * reaches a node.
 */
final class Remote {
    private static final int MAX_TAIL = 2000;

    private final ClusterSpec spec;
    private final NodeSessions sessions;
    private final RunListener listener;
    private final Clock clock;

    Remote(ClusterSpec spec, NodeSessions sessions, RunListener listener, Clock clock) {
        this.spec = spec;
        this.sessions = sessions;
        this.listener = listener;
        this.clock = clock;
    }

    /**
     * Runs {@code commands} in order for {@code subject}, stopping at the first failure or when {@code cancelled}
     * says so between two commands (a command that started is never cut off by a cancellation).
     *
     * @param vars    the variables of this phase (node, primary, peer); {@code on: peer} runs on peer.name
     * @param primary where {@code on: primary} runs
     */
    PhaseResult run(String stepId, String phase, NodeSpec subject, List<CommandSpec> commands, Variables vars,
            String primary, BooleanSupplier cancelled) {
        int index = 0;
        for (CommandSpec command : commands) {
            index++;
            if (cancelled.getAsBoolean()) {
                return PhaseResult.cancelled("cancelled before command " + index + " of " + commands.size() + " of "
                        + phase + " on " + subject.name());
            }
            String line;
            Map<String, String> env;
            try {
                line = Template.parse(command.run()).renderCommand(vars);
                env = new LinkedHashMap<>();
                for (var e : command.env().entrySet()) {
                    env.put(e.getKey(), Template.parse(e.getValue()).renderPlain(vars));
                }
            } catch (TemplateException e) {
                return PhaseResult.failure(phase + " on " + subject.name() + ": cannot render '" + command.run() + "': "
                        + e.getMessage(), null, false);
            }
            String peer = vars.get("peer.name").orElse(null);
            if (CommandSpec.ON_PEER.equals(command.on()) && peer == null) {
                return PhaseResult.failure(phase + " on " + subject.name() + ": '" + command.run() + "' runs on the peer,"
                        + " which only a switchover or failback has", null, false);
            }
            for (String target : targets(command.on(), subject.name(), primary, peer)) {
                PhaseResult r = runOne(stepId, phase, target, command, line, env);
                if (!r.ok()) {
                    return r;
                }
            }
        }
        return PhaseResult.success(phase + " on " + subject.name() + ": " + (commands.isEmpty() ? "nothing to do"
                : commands.size() + (commands.size() == 1 ? " command" : " commands") + " succeeded"));
    }

    private PhaseResult runOne(String stepId, String phase, String node, CommandSpec command, String line,
            Map<String, String> env) {
        Duration timeout = command.timeout() != null ? command.timeout() : spec.policy().timeouts().command();
        boolean sudo = command.sudo() != null ? command.sudo() : spec.ssh().sudo();
        boolean idempotent = command.idempotent() != null && command.idempotent();
        int retries = command.retries() != null ? command.retries() : spec.policy().retries();
        RemoteCommand remote = new RemoteCommand(line, timeout, sudo, env, command.workdir(), idempotent);
        PhaseResult last = null;
        for (int attempt = 0; attempt <= retries; attempt++) {
            if (attempt > 0) {
                sleep(Duration.ofMillis(Math.min(200L << Math.min(attempt, 6), 10_000)));
            }
            last = attemptOne(stepId, phase, node, command, remote);
            if (last.ok() || last.unreachable() && !idempotent) {
                // An unknown outcome of a non-idempotent command is never repeated blindly.
                return last;
            }
        }
        return last;
    }

    private PhaseResult attemptOne(String stepId, String phase, String node, CommandSpec command,
            RemoteCommand remote) {
        listener.on(new RunEvent.CommandStarted(clock.instant(), node, stepId, phase, remote.command()));
        CommandResult result;
        try {
            NodeSession session = sessions.session(node);
            result = session.exec(remote, (stream, text) -> listener.on(
                    new RunEvent.OutputLine(clock.instant(), node, phase, stream, text)));
        } catch (SshException e) {
            sessions.discard(node);
            // The message ends with the hint already.
            String detail = phase + " on " + node + ": " + e.getMessage();
            listener.on(new RunEvent.CommandFinished(clock.instant(), node, stepId, phase, remote.command(), -1, false,
                    Duration.ZERO, "unreachable: " + e.getMessage()));
            return PhaseResult.unreachable(detail);
        }
        String tail = tail(result);
        listener.on(new RunEvent.CommandFinished(clock.instant(), node, stepId, phase, remote.command(),
                result.exitCode(), result.timedOut(), result.elapsed(), tail));
        if (result.timedOut()) {
            return PhaseResult.failure(phase + " on " + node + ": '" + remote.command() + "' timed out after "
                    + remote.timeout() + lastLine(tail), result.exitCode(), true);
        }
        if (!command.succeededWith(result.exitCode())) {
            return PhaseResult.failure(phase + " on " + node + ": '" + remote.command() + "' exited "
                    + result.exitCode() + lastLine(tail), result.exitCode(), false);
        }
        return PhaseResult.success(phase + " on " + node + " succeeded");
    }

    /** Runs an engine-built command (discovery, lock) without events; throws when the node cannot be reached. */
    CommandResult exec(String node, String line, Duration timeout) throws SshException {
        try {
            return sessions.session(node).exec(RemoteCommand.of(line, timeout), OutputListener.NONE);
        } catch (SshException e) {
            sessions.discard(node);
            throw e;
        }
    }

    /** The runner health checks and discovery use: rendered with the subject's variables, quiet. */
    NodeCommandRunner checkRunner(Function<String, Variables> varsOf) {
        return (target, subject, command) -> {
            String line;
            try {
                line = Template.parse(command.run()).renderCommand(varsOf.apply(subject));
            } catch (TemplateException e) {
                throw new SshException(target, spec.node(target).host(), "cannot render check '" + command.run() + "': "
                        + e.getMessage(), "fix the command in the spec", e);
            }
            Duration timeout = command.timeout() != null ? command.timeout() : spec.policy().timeouts().command();
            boolean sudo = command.sudo() != null ? command.sudo() : spec.ssh().sudo();
            try {
                return sessions.session(target).exec(new RemoteCommand(line, timeout, sudo, Map.of(), command.workdir(),
                        true), OutputListener.NONE);
            } catch (SshException e) {
                sessions.discard(target);
                throw e;
            }
        };
    }

    LockTransport lockTransport() {
        return this::exec;
    }

    /** Where a command runs: self, primary, peer (of a switchover or failback), others, all, or a node name. */
    /**
     * {@code commands} as a person would run them by hand: rendered for {@code subject} with {@code vars}, each
     * prefixed with the node it runs on ({@code on n1: ...}), in order; a text that cannot be rendered is given as
     * written.
     */
    String asWritten(List<CommandSpec> commands, NodeSpec subject, Variables vars, String primary) {
        List<String> lines = new ArrayList<>();
        for (CommandSpec command : commands) {
            String line;
            try {
                line = Template.parse(command.run()).renderCommand(vars);
            } catch (TemplateException e) {
                line = command.run();
            }
            List<String> where = targets(command.on(), subject.name(), primary, vars.get("peer.name").orElse(null));
            lines.add("on " + String.join(", ", where) + ": " + line);
        }
        return String.join("; then ", lines);
    }

    List<String> targets(String on, String self, String primary, String peer) {
        List<String> members = spec.nodes().stream().map(NodeSpec::name).toList();
        return switch (on == null ? CommandSpec.ON_SELF : on) {
            case CommandSpec.ON_SELF -> List.of(self);
            case "primary" -> List.of(primary == null ? self : primary);
            case CommandSpec.ON_PEER -> peer == null ? List.of() : List.of(peer);
            case "others" -> {
                List<String> others = new ArrayList<>(members);
                others.remove(self);
                yield others;
            }
            case "all" -> members;
            default -> List.of(on);
        };
    }

    private static String tail(CommandResult result) {
        String text = (result.stdout() + (result.stderr().isBlank() ? "" : "\n" + result.stderr())).strip();
        return text.length() <= MAX_TAIL ? text : "..." + text.substring(text.length() - MAX_TAIL);
    }

    private static String lastLine(String tail) {
        if (tail.isEmpty()) {
            return "";
        }
        int nl = tail.lastIndexOf('\n');
        return ": " + (nl < 0 ? tail : tail.substring(nl + 1));
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
