package io.haupgrade.spec;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One shell command of a phase or hook. Written as a plain string for the common case
 * ({@code upgrade: apt-get install -y app=${targetVersion}}) or as an object for the rest.
 */
@Doc("A shell command run over SSH. A plain string is short for {run: <string>}.")
public record CommandSpec(
        @Required @Shorthand
        @Doc(value = "The command line, run by the remote user's shell. ${...} variables are substituted shell-quoted.",
                example = "pcs node standby ${node.name}")
        String run,
        @Doc(value = "Where it runs: self (the node being worked on; default), primary (the current primary), "
                + "peer (in switchover and failback: the node taking the primary role), "
                + "others (every other node), all, or a node name (e.g. the node that holds kubectl).",
                example = "primary")
        String on,
        @Doc(value = "What this command does, in words, for the plan and the report.", example = "block config sync from the backup")
        String description,
        @Doc(value = "Longest the command may run; it is killed on the node after that. Default: policy.timeouts.command.",
                example = "5m")
        Duration timeout,
        @Doc("Run with sudo (non-interactive, or with the password fed on standard input). Default: ssh.sudo.")
        Boolean sudo,
        @Doc("Safe to run again after a lost connection; otherwise a command whose outcome is unknown is not re-run.")
        Boolean idempotent,
        @Doc("How many more times to try after a failure (with backoff). Default: policy.retries.")
        Integer retries,
        @Doc(value = "Exit codes that count as success. Default: [0].", example = "[0, 3]")
        List<Integer> expectExit,
        @Doc(value = "Environment variables for the command; values are substituted and quoted like the command.")
        Map<String, String> env,
        @Doc("Working directory on the node.")
        String workdir) {

    /** Where a command runs when {@code on} is not written. */
    public static final String ON_SELF = "self";
    /** The other side of a switchover or failback: the node that takes the primary role. */
    public static final String ON_PEER = "peer";

    public CommandSpec {
        on = on == null ? ON_SELF : on;
        expectExit = expectExit == null || expectExit.isEmpty() ? List.of(0) : List.copyOf(expectExit);
        env = Lists.copy(env);
    }

    public static CommandSpec of(String run) {
        return new CommandSpec(run, null, null, null, null, null, null, null, null, null);
    }

    public boolean succeededWith(int exitCode) {
        return expectExit.contains(exitCode);
    }
}
