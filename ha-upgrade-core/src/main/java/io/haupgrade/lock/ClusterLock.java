package io.haupgrade.lock;

import io.haupgrade.shell.ShellQuote;
import io.haupgrade.ssh.CommandResult;
import io.haupgrade.ssh.SshException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A lock on the cluster held on the nodes themselves, so two runs from two machines cannot overlap. On each node
 * it is a directory created with {@code mkdir} (atomic: exactly one of two racing runs creates it) holding an
 * owner file (owner, run id, host, expiry). Check and take happen in one shell command per node. The same run
 * id may take it again (resume); an expired lock is taken over; {@code breakExisting} removes any holder's lock
 * (the documented forced break). Nodes are locked in a fixed (sorted) order and a refusal releases what this
 * attempt took, so two racing runs cannot deadlock or both win.
 */
public final class ClusterLock {
    /** The exit code of the lock command when another run holds the lock. */
    static final int HELD = 75;
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

    private final String path;
    private final LockTransport transport;
    private final Clock clock;
    private final Duration expiry;
    private final String owner;
    private final String runId;
    private final String host;
    private final List<String> held = new ArrayList<>();
    private Instant renewed;

    /**
     * @param path the lock directory on each node; relative paths are in the SSH user's home directory
     */
    public ClusterLock(String path, String owner, String runId, String host, Duration expiry, LockTransport transport,
            Clock clock) {
        this.path = path;
        this.owner = owner;
        this.runId = runId;
        this.host = host;
        this.expiry = expiry;
        this.transport = transport;
        this.clock = clock;
    }

    /** The default lock directory of a cluster: in the SSH user's home, named after the cluster. */
    public static String defaultPath(String cluster) {
        return ".ha-upgrade/locks/" + cluster.replaceAll("[^A-Za-z0-9_.-]", "_");
    }

    /**
     * Takes the lock on every node, or none. Returns the holders that were broken or expired and taken over
     * (for a warning); refuses with the holder's identity when another live run holds it.
     */
    public synchronized List<String> acquire(List<String> nodes, boolean breakExisting) throws LockRefusedException {
        List<String> takenOver = new ArrayList<>();
        for (String node : nodes.stream().sorted().toList()) {
            CommandResult result;
            try {
                result = transport.exec(node, takeCommand(breakExisting), COMMAND_TIMEOUT);
            } catch (SshException e) {
                releaseQuietly();
                throw new LockRefusedException(node, null, "cannot lock node " + node + ": " + e.getMessage());
            }
            String out = result.stdout().strip();
            if (result.exitCode() == HELD) {
                LockHolder holder = LockHolder.parse(out);
                releaseQuietly();
                throw new LockRefusedException(node, holder, "cluster is locked by " + holder.describe() + " (lock "
                        + path + " on node " + node + "); wait for that run to end, or if it is dead and you are sure, "
                        + "run again with --break-lock");
            }
            if (result.exitCode() != 0) {
                releaseQuietly();
                throw new LockRefusedException(node, null, "cannot lock node " + node + " (" + path + "): exit "
                        + result.exitCode() + ": " + (out + " " + result.stderr()).strip());
            }
            held.add(node);
            if (out.startsWith("TAKEN-OVER")) {
                takenOver.add(node + ": " + LockHolder.parse(out.substring(out.indexOf('\n') + 1)).describe());
            }
        }
        renewed = clock.instant();
        return takenOver;
    }

    /** Extends the expiry on every held node when half of it has passed; a long run never loses its lock. */
    public synchronized List<String> renewIfDue() {
        if (held.isEmpty() || renewed == null || clock.instant().isBefore(renewed.plus(expiry.dividedBy(2)))) {
            return List.of();
        }
        List<String> problems = new ArrayList<>();
        for (String node : held) {
            try {
                CommandResult r = transport.exec(node, takeCommand(false), COMMAND_TIMEOUT);
                if (r.exitCode() != 0) {
                    problems.add(node + ": lock renewal failed with exit " + r.exitCode() + ": " + r.stdout().strip());
                }
            } catch (SshException e) {
                problems.add(node + ": lock renewal failed: " + e.getMessage());
            }
        }
        renewed = clock.instant();
        return problems;
    }

    /** Releases the lock on every node this run holds it on; returns what could not be released. */
    public synchronized List<String> release() {
        List<String> problems = new ArrayList<>();
        for (String node : List.copyOf(held)) {
            try {
                CommandResult r = transport.exec(node, releaseCommand(), COMMAND_TIMEOUT);
                if (r.exitCode() != 0) {
                    problems.add(node + ": " + (r.stdout() + r.stderr()).strip());
                }
            } catch (SshException e) {
                problems.add(node + ": " + e.getMessage() + " (remove " + path + " there by hand once it is back)");
            }
            held.remove(node);
        }
        return problems;
    }

    public synchronized List<String> heldOn() {
        return List.copyOf(held);
    }

    public String path() {
        return path;
    }

    private void releaseQuietly() {
        release();
    }

    /**
     * One shell command: create the lock directory, or re-take it for the same run, or take over an expired or
     * broken one; otherwise print the holder and exit {@value #HELD}.
     */
    String takeCommand(boolean breakExisting) {
        Instant now = clock.instant();
        String ownerFile = new LockHolder(owner, runId, host, now, now.plus(expiry)).toOwnerFile();
        String d = ShellQuote.quote(path);
        String parent = ShellQuote.quote(parentOf(path));
        String write = "printf '%s' " + ShellQuote.quote(ownerFile) + " > " + d + "/owner.tmp && mv " + d + "/owner.tmp "
                + d + "/owner";
        return "umask 077; mkdir -p " + parent + " || exit 1; "
                + "if mkdir " + d + " 2>/dev/null; then " + write + " && echo TAKEN; exit $?; fi; "
                + "if grep -qx " + ShellQuote.quote("run=" + runId) + " " + d + "/owner 2>/dev/null; then " + write
                + " && echo RENEWED; exit $?; fi; "
                + "exp=$(sed -n 's/^expires=//p' " + d + "/owner 2>/dev/null); "
                + "if " + (breakExisting ? "true" : "[ -n \"$exp\" ] && [ \"$exp\" -lt " + now.getEpochSecond() + " ]")
                + "; then old=$(cat " + d + "/owner 2>/dev/null); "
                + "if mv " + d + " " + d + ".stale.$$ 2>/dev/null && mkdir " + d + " 2>/dev/null; then rm -rf " + d
                + ".stale.$$; " + write + " && printf 'TAKEN-OVER\\n%s\\n' \"$old\"; exit $?; fi; fi; "
                + "cat " + d + "/owner 2>/dev/null || echo owner=unknown-still-being-written; exit " + HELD;
    }

    /** Removes the lock only if this run holds it, so a broken-and-retaken lock of another run survives. */
    String releaseCommand() {
        String d = ShellQuote.quote(path);
        return "if grep -qx " + ShellQuote.quote("run=" + runId) + " " + d + "/owner 2>/dev/null; then rm -rf " + d
                + "; fi; exit 0";
    }

    private static String parentOf(String path) {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? (slash == 0 ? "/" : ".") : path.substring(0, slash);
    }
}
