package io.haupgrade.ssh;

import io.haupgrade.shell.ShellQuote;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The shell text actually sent to a node. The command runs as {@code /bin/sh -c} in the process group of the
 * session's shell (sshd makes every command a session leader), whose pid is printed first so the group can be
 * killed at a timeout. Env values and the working directory are quoted here; the command itself arrives quoted.
 */
final class CommandScript {
    /** Prefix of the first stdout line, which carries the process group id and is never shown. */
    static final String PGID_MARKER = "ha-upgrade-pgid:";
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private CommandScript() {
    }

    /**
     * @param sudoPasswordOnStdin whether {@code sudo -S} reads a password from stdin; else sudo must not ask
     *     ({@code sudo -n}) and the command's stdin is empty
     */
    static String wrap(RemoteCommand command, boolean sudoPasswordOnStdin) {
        StringBuilder inner = new StringBuilder();
        if (command.sudo() && sudoPasswordOnStdin) {
            // sudo may not have needed the password (cached, NOPASSWD): the command must not read it.
            inner.append("exec </dev/null; ");
        }
        for (Map.Entry<String, String> variable : command.env().entrySet()) {
            if (!ENV_NAME.matcher(variable.getKey()).matches()) {
                throw new IllegalArgumentException("environment variable name '" + variable.getKey()
                        + "' of command `" + command.command() + "` is not a shell name ([A-Za-z_][A-Za-z0-9_]*)");
            }
            inner.append("export ").append(variable.getKey()).append('=')
                    .append(ShellQuote.quote(variable.getValue())).append("; ");
        }
        if (command.workdir() != null) {
            inner.append("cd ").append(ShellQuote.quote(command.workdir())).append(" || exit 1; ");
        }
        inner.append(command.command());

        StringBuilder outer = new StringBuilder("printf '%s%s\\n' ").append(PGID_MARKER).append(" \"$$\"; exec ");
        if (command.sudo()) {
            outer.append(sudoPasswordOnStdin ? "sudo -S -p '' -- " : "sudo -n -- ");
        }
        outer.append("/bin/sh -c ").append(ShellQuote.quote(inner.toString()));
        if (!(command.sudo() && sudoPasswordOnStdin)) {
            outer.append(" </dev/null");
        }
        return outer.toString();
    }

    /**
     * Ends process group {@code pgid}: TERM, up to {@code grace} to go, then KILL. Prints one word: {@code gone}
     * (ended before), {@code terminated}, {@code killed} or {@code alive}. Zombies do not count as alive: an
     * orphan's zombie may never be reaped in a container without an init.
     */
    static String killGroup(long pgid, Duration grace) {
        long tenths = Math.max(1, grace.toMillis() / 100);
        return "pg=" + pgid + "; "
                + "alive() { for f in /proc/[0-9]*/stat; do read -r s < \"$f\" 2>/dev/null || continue; "
                + "s=${s##*) }; set -- $s; if [ \"$1\" != Z ] && [ \"$3\" = \"$pg\" ]; then return 0; fi; done; "
                + "return 1; }; "
                + "if ! alive; then echo gone; exit 0; fi; "
                + "kill -TERM -$pg 2>/dev/null; n=0; "
                + "while alive; do "
                + "if [ $n -ge " + tenths + " ]; then kill -KILL -$pg 2>/dev/null; sleep 0.2; "
                + "if alive; then echo alive; else echo killed; fi; exit 0; fi; "
                + "sleep 0.1; n=$((n+1)); done; echo terminated";
    }
}
