package io.haupgrade.ssh;

import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.KeyPair;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Opens and keeps one {@link NodeSession} per node for a run, runs tasks on many nodes with bounded parallelism,
 * and closes every connection at the end, on cancellation, or when the JVM shuts down.
 */
public final class SshConnector implements AutoCloseable {
    private final SecretMasker masker;
    private final Map<String, JschNodeSession> sessions = new ConcurrentHashMap<>();
    /** One JSch client per credential: its key is read and decrypted once, not once per node. */
    private final Map<Credential, JSch> clients = new ConcurrentHashMap<>();
    private final Thread shutdownHook;
    private volatile boolean closed;

    /** @param masker the run's masker; credentials and sudo passwords are registered with it on first use */
    public SshConnector(SecretMasker masker) {
        this.masker = Objects.requireNonNull(masker, "masker");
        this.shutdownHook = new Thread(this::closeSessions, "ha-upgrade-ssh-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    public SecretMasker masker() {
        return masker;
    }

    /**
     * The node's session, connected: the open one if there is one, else a new connection.
     *
     * @throws SshException when the node cannot be reached, refuses the login, or shows a host key the target's
     *     policy does not trust
     */
    public NodeSession session(SshTarget target) throws SshException {
        return jschSession(target);
    }

    JschNodeSession jschSession(SshTarget target) throws SshException {
        if (closed) {
            throw new SshException(target.node(), target.host(), "the SSH connector of this run is closed",
                    "", null);
        }
        JschNodeSession session = sessions.compute(target.node(), (node, existing) -> {
            if (existing != null && sameEndpoint(existing.target(), target)) {
                return existing;
            }
            if (existing != null) {
                existing.closeConnection();
            }
            return new JschNodeSession(target, this);
        });
        session.liveSession();
        return session;
    }

    /**
     * The JSch client holding {@code target}'s key, checked here once so that a wrong passphrase or a file that
     * is no key says so (JSch would only fail the login later, as if the server had refused the key).
     */
    JSch clientFor(SshTarget target) throws SshException {
        JSch existing = clients.get(target.credential());
        if (existing != null) {
            return existing;
        }
        JSch jsch = new JSch();
        if (target.credential() instanceof PrivateKeyCredential key) {
            byte[] passphrase = key.passphrase() == null ? null
                    : key.passphrase().reveal().getBytes(StandardCharsets.UTF_8);
            String problem;
            try {
                KeyPair pair = KeyPair.load(jsch, key.privateKey(), null);
                boolean usable = !pair.isEncrypted() || (passphrase != null && pair.decrypt(passphrase));
                problem = usable ? null : passphrase == null ? "the key is encrypted and no passphrase was given"
                        : "the passphrase does not decrypt it";
                pair.dispose();
                if (usable) {
                    jsch.addIdentity("key of " + key.username(), key.privateKey(), null, passphrase);
                }
            } catch (JSchException e) {
                problem = "it is not an OpenSSH or PEM private key JSch can read (" + e.getMessage() + ")";
            }
            if (problem != null) {
                throw SshFailures.exception(masker, target, "cannot use the private key for node " + target.node()
                        + " (user " + key.username() + "): " + problem, "check the key and its passphrase "
                        + "(ed25519, ecdsa and rsa keys in OpenSSH or PEM format work)", null);
            }
        }
        JSch raced = clients.putIfAbsent(target.credential(), jsch);
        return raced != null ? raced : jsch;
    }

    /** A node's open session is reused for a target that reaches the same user at the same address. */
    private static boolean sameEndpoint(SshTarget a, SshTarget b) {
        return a.host().equals(b.host()) && a.port() == b.port()
                && a.credential().username().equals(b.credential().username())
                && java.util.Objects.equals(a.jump() == null ? null : a.jump().node(),
                        b.jump() == null ? null : b.jump().node());
    }

    com.jcraft.jsch.Session jumpSession(SshTarget jump) throws SshException {
        return jschSession(jump).liveSession();
    }

    void forget(JschNodeSession session) {
        sessions.remove(session.node(), session);
    }

    /** Open sessions, for tests and the benchmark. */
    public int openSessions() {
        return sessions.size();
    }

    /**
     * Runs {@code task} on each target's session, at most {@code parallelism} nodes at a time, and returns the
     * outcomes in the targets' order. A node that fails does not stop the others.
     *
     * @throws InterruptedException when the caller is interrupted: the running tasks are interrupted, which
     *     kills their remote commands, and none is started any more
     */
    public <T> List<NodeOutcome<T>> onEach(List<SshTarget> targets, int parallelism, NodeTask<T> task)
            throws InterruptedException {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism is " + parallelism + "; expected 1 or more");
        }
        if (targets.isEmpty()) {
            return List.of();
        }
        AtomicInteger threadNumber = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallelism, targets.size()), runnable -> {
            Thread thread = new Thread(runnable, "ha-upgrade-ssh-" + threadNumber.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<NodeOutcome<T>>> futures = new ArrayList<>(targets.size());
            for (SshTarget target : targets) {
                futures.add(pool.submit(() -> {
                    try {
                        return new NodeOutcome<>(target.node(), task.run(session(target)), null);
                    } catch (SshException e) {
                        return new NodeOutcome<T>(target.node(), null, e);
                    }
                }));
            }
            List<NodeOutcome<T>> outcomes = new ArrayList<>(targets.size());
            for (Future<NodeOutcome<T>> future : futures) {
                outcomes.add(future.get());
            }
            return outcomes;
        } catch (ExecutionException e) {
            throw new IllegalStateException("a task failed on a node with " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** Closes every session. The connector cannot be used afterwards. */
    @Override
    public void close() {
        closed = true;
        closeSessions();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running or about to: it closes the sessions itself.
        }
    }

    private void closeSessions() {
        for (JschNodeSession session : List.copyOf(sessions.values())) {
            session.close();
        }
        sessions.clear();
    }

    /** Something to do on one node with its session. */
    @FunctionalInterface
    public interface NodeTask<T> {
        T run(NodeSession session) throws SshException;
    }
}
