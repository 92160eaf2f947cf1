package io.haupgrade.lock;

import io.haupgrade.shell.ShellQuote;
import io.haupgrade.ssh.CommandResult;
import io.haupgrade.ssh.SshException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * A lock on the cluster held on the nodes themselves, so two runs from two machines cannot overlap. On each node
 * it is a directory created with {@code mkdir} (atomic: exactly one of two racing runs creates it) holding an
 * owner file (owner, run id, host, expiry). Check and take happen in one shell command per node. The same run
 * id may take it again (resume); an expired lock is taken over; {@code breakExisting} removes any holder's lock
 * (the documented forced break). Nodes are locked in a fixed (sorted) order and a refusal releases what this
 * attempt took, so two racing runs cannot deadlock or both win: the first node (in sorted order) decides the race,
 * the others are then taken in parallel.
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
    private final ExecutorService pool;
    private Instant renewed;

    /**
     * @param path the lock directory on each node; relative paths are in the SSH user's home directory
     * @param pool  threads to lock and release the nodes after the first in parallel
     */
    public ClusterLock(String path, String owner, String runId, String host, Duration expiry, LockTransport transport,
            Clock clock, ExecutorService pool) {
        this.pool = pool;
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
        List<String> sorted = nodes.stream().sorted().toList();
        List<String> takenOver = new ArrayList<>();
        if (sorted.isEmpty()) {
            renewed = clock.instant();
            return takenOver;
        }
        // The first node decides a race (a loser is refused there); the others are then taken in parallel.
        take(sorted.get(0), breakExisting).ifPresent(takenOver::add);
        List<String> rest = sorted.subList(1, sorted.size());
        List<Future<Optional<String>>> futures = new ArrayList<>();
        for (String node : rest) {
            futures.add(pool.submit(() -> take(node, breakExisting)));
        }
        LockRefusedException refused = null;
        for (Future<Optional<String>> f : futures) {
            try {
                f.get().ifPresent(takenOver::add);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof LockRefusedException r && refused == null) {
                    refused = r;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                refused = new LockRefusedException(null, null, "interrupted while taking the cluster lock");
            }
        }
        if (refused != null) {
            release();
            throw refused;
        }
        renewed = clock.instant();
        return takenOver;
    }

    /** Takes the lock on one node; a warning naming the holder when an expired or broken lock was taken over. */
    private Optional<String> take(String node, boolean breakExisting) throws LockRefusedException {
        CommandResult result;
        try {
            result = transport.exec(node, takeCommand(breakExisting), COMMAND_TIMEOUT);
        } catch (SshException e) {
            release();
            throw new LockRefusedException(node, null, "cannot lock node " + node + ": " + e.getMessage());
        }
        String out = result.stdout().strip();
        if (result.exitCode() == HELD) {
            LockHolder holder = LockHolder.parse(out);
            release();
            throw new LockRefusedException(node, holder, "cluster is locked by " + holder.describe() + " (lock "
                    + path + " on node " + node + "); wait for that run to end, or if it is dead and you are sure, "
                    + "run again with --break-lock");
        }
        if (result.exitCode() != 0) {
            release();
            throw new LockRefusedException(node, null, "cannot lock node " + node + " (" + path + "): exit "
                    + result.exitCode() + ": " + (out + " " + result.stderr()).strip());
        }
        synchronized (held) {
            held.add(node);
        }
        if (out.startsWith("TAKEN-OVER")) {
            return Optional.of(node + ": " + LockHolder.parse(out.substring(out.indexOf('\n') + 1)).describe());
        }
        return Optional.empty();
    }

    /** Extends the expiry on every held node when half of it has passed; a long run never loses its lock. */
    public synchronized List<String> renewIfDue() {
        if (heldOn().isEmpty() || renewed == null || clock.instant().isBefore(renewed.plus(expiry.dividedBy(2)))) {
            return List.of();
        }
        return renew();
    }

    /**
     * Extends the expiry on every held node now: before a wait in which nothing renews it (an approval), so that
     * the whole expiry is left for the wait. Returns what could not be renewed.
     */
    public synchronized List<String> renew() {
        if (heldOn().isEmpty()) {
            return List.of();
        }
        List<String> problems = new ArrayList<>();
        for (String node : heldOn()) {
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
    public List<String> release() {
        List<String> nodes;
        synchronized (held) {
            nodes = List.copyOf(held);
        }
        List<Future<Optional<String>>> futures = new ArrayList<>();
        for (String node : nodes) {
            futures.add(pool.submit(() -> releaseOn(node)));
        }
        List<String> problems = new ArrayList<>();
        for (Future<Optional<String>> f : futures) {
            try {
                f.get().ifPresent(problems::add);
            } catch (ExecutionException e) {
                problems.add(String.valueOf(e.getCause()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                problems.add("interrupted while releasing the cluster lock");
            }
        }
        return problems;
    }

    private Optional<String> releaseOn(String node) {
        try {
            CommandResult r = transport.exec(node, releaseCommand(), COMMAND_TIMEOUT);
            if (r.exitCode() != 0) {
                return Optional.of(node + ": " + (r.stdout() + r.stderr()).strip());
            }
            return Optional.empty();
        } catch (SshException e) {
            return Optional.of(node + ": " + e.getMessage() + " (remove " + path + " there by hand once it is back)");
        } finally {
            synchronized (held) {
                held.remove(node);
            }
        }
    }

    public List<String> heldOn() {
        synchronized (held) {
            return List.copyOf(held);
        }
    }

    public String path() {
        return path;
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
