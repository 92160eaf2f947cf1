package io.haupgrade.ssh;

import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.SftpException;
import io.haupgrade.shell.ShellQuote;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One node's SSH connection (JSch), opened on first use and reused by every command; commands from several
 * threads run as parallel channels of it. A connection found dead is re-established once per call. A command
 * whose connection died under it is run again only when it is idempotent, since nobody knows whether it ran.
 */
final class JschNodeSession implements NodeSession {
    /** How long TERM has to end a timed-out command before KILL. */
    static final Duration KILL_GRACE = Duration.ofSeconds(2);
    private static final Duration CONTROL_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration CLOSE_WAIT_AFTER_KILL = Duration.ofSeconds(3);
    private static final int KEEPALIVE_MISSES = 3;
    /** Bouncy Castle's X25519 and Ed25519 cost a fraction of the JDK 17 ones: a handshake's CPU is mostly these. */
    private static final boolean BOUNCY_CASTLE = isPresent("org.bouncycastle.math.ec.rfc8032.Ed25519");
    /** The process group id is the first thing a command prints; this long it may take to arrive. */
    private static final Duration PGID_WAIT = Duration.ofSeconds(2);
    /**
     * Opens exec channels off the caller's thread: JSch waits for the server's reply to the exec request in a loop
     * that swallows InterruptedException, so a cancellation landing there was lost and the command ran on until
     * its timeout. The caller waits on a Future instead, which an interrupt does end.
     */
    private static final ExecutorService CHANNEL_OPENER = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "ha-upgrade-ssh-channel-open");
        thread.setDaemon(true);
        return thread;
    });

    private final SshTarget target;
    private final SshConnector connector;
    private final SecretMasker masker;
    private Session session;
    private boolean closed;
    private String homeDir;

    JschNodeSession(SshTarget target, SshConnector connector) {
        this.target = target;
        this.connector = connector;
        this.masker = connector.masker();
    }

    @Override
    public String node() {
        return target.node();
    }

    SshTarget target() {
        return target;
    }

    /** The open JSch session, connecting first if there is none or it died. */
    synchronized Session liveSession() throws SshException {
        if (closed) {
            throw fail("the SSH session to node " + node() + " is closed", "open a new one from the connector", null);
        }
        if (session == null || !session.isConnected()) {
            if (session != null) {
                session.disconnect();
            }
            session = connect();
        }
        return session;
    }

    /** Forgets a connection found dead, so the next use connects again. */
    private synchronized void drop(Session dead) {
        dead.disconnect();
        if (session == dead) {
            session = null;
            homeDir = null;
        }
    }

    /**
     * JSch marks a dropped connection's channels closed a moment before the session itself: a channel that
     * closed without an exit status needs a closer look before it counts as a command killed by a signal.
     */
    private static boolean connectionLost(Session current) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMillis(200).toNanos();
        while (current.isConnected() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        if (current.isConnected()) {
            try {
                current.sendKeepAliveMsg();
            } catch (Exception e) {
                return true;
            }
        }
        return !current.isConnected();
    }

    @Override
    public CommandResult exec(RemoteCommand command, OutputListener listener) throws SshException {
        boolean reconnected = false;
        while (true) {
            boolean foundDead;
            synchronized (this) {
                foundDead = session != null && !session.isConnected();
            }
            Session current = liveSession();
            if (foundDead) {
                reconnected = true;
            }
            Attempt attempt = runOnce(current, command, listener, true);
            if (attempt.result != null) {
                return attempt.result;
            }
            drop(current);
            if (reconnected) {
                throw fail("the SSH connection to node " + node() + " was lost again after reconnecting, "
                        + describe(command) + (attempt.started ? "; its outcome is unknown" : " did not start"),
                        "check the node and the network to it, then run again", attempt.cause);
            }
            if (attempt.started && !command.idempotent()) {
                throw fail("the SSH connection to node " + node() + " was lost while " + describe(command)
                        + " was running; its outcome is unknown",
                        "check on the node whether it ran before running it again; it is not marked idempotent, "
                                + "so it was not re-run", attempt.cause);
            }
            reconnected = true;
            if (attempt.started) {
                listener.line(OutputListener.OutputStream.STDERR, masker.mask("[ha-upgrade] connection to node "
                        + node() + " lost; reconnected and running the idempotent command again"));
            }
        }
    }

    private Attempt runOnce(Session current, RemoteCommand command, OutputListener listener, boolean killOnTimeout)
            throws SshException {
        boolean sudoPasswordOnStdin = command.sudo() && target.sudoPassword() != null;
        String script = CommandScript.wrap(command, sudoPasswordOnStdin);
        OutputCapture out = new OutputCapture(OutputListener.OutputStream.STDOUT, listener, masker, true);
        OutputCapture err = new OutputCapture(OutputListener.OutputStream.STDERR, listener, masker, false);
        long start = System.nanoTime();
        long deadline = start + command.timeout().toNanos();
        ChannelExec channel;
        try {
            channel = (ChannelExec) current.openChannel("exec");
        } catch (JSchException e) {
            return Attempt.notStarted(e);
        }
        channel.setCommand(script.getBytes(StandardCharsets.UTF_8));
        channel.setOutputStream(out);
        channel.setErrStream(err);
        channel.setInputStream(sudoPasswordOnStdin ? new ByteArrayInputStream(
                (target.sudoPassword().reveal() + "\n").getBytes(StandardCharsets.UTF_8)) : null);
        try {
            connectInterruptibly(channel, millis(target.connectTimeout()));
        } catch (InterruptedException e) {
            throw cancelled(current, channel, out, err, command, e);
        } catch (JSchException e) {
            channel.disconnect();
            if (!current.isConnected()) {
                String message = String.valueOf(e.getMessage());
                boolean notOpened = message.contains("channel is not opened") || message.contains("session is down");
                return notOpened ? Attempt.notStarted(e) : Attempt.lost(e);
            }
            throw fail("node " + node() + " refused to run " + describe(command) + ": " + e.getMessage(),
                    "the server may limit parallel channels per connection (OpenSSH MaxSessions, default 10)", e);
        }
        boolean timedOut = false;
        String killReport = null;
        try {
            long pollNanos = Duration.ofMillis(1).toNanos();
            while (!channel.isClosed() && current.isConnected()) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    timedOut = true;
                    break;
                }
                if (!out.isClosed()) {
                    out.awaitClosed(Duration.ofNanos(Math.min(remaining, Duration.ofMillis(200).toNanos())));
                } else {
                    // After end of file the exit status follows at once, or when a command that closed its
                    // stdout early finishes: poll, backing off from 1 ms to 50 ms.
                    Thread.sleep(Duration.ofNanos(Math.min(remaining, pollNanos)).toMillis(),
                            (int) (Math.min(remaining, pollNanos) % 1_000_000));
                    pollNanos = Math.min(pollNanos * 2, Duration.ofMillis(50).toNanos());
                }
            }
            if (timedOut) {
                killReport = killOnTimeout ? kill(current, out.awaitPgid(PGID_WAIT), command) : "";
                waitClosed(channel, CLOSE_WAIT_AFTER_KILL);
            } else if (channel.getExitStatus() == -1 && connectionLost(current)) {
                return Attempt.lost(null);
            }
        } catch (InterruptedException e) {
            throw cancelled(current, channel, out, err, command, e);
        } finally {
            channel.disconnect();
            // JSch closes stdout at end of file but not always stderr: a last line without newline is still due.
            out.close();
            err.close();
        }
        int exitStatus = channel.getExitStatus();
        if (!timedOut && exitStatus == -1 && !current.isConnected()) {
            return Attempt.lost(null);
        }
        if (out.listenerFailure() != null || err.listenerFailure() != null) {
            RuntimeException failure = out.listenerFailure() != null ? out.listenerFailure() : err.listenerFailure();
            throw fail("the output listener failed while " + describe(command) + " ran on node " + node() + ": "
                    + failure, "", failure);
        }
        if (timedOut && killOnTimeout) {
            err.note("[ha-upgrade] " + describe(command) + " timed out after " + command.timeout() + "; " + killReport);
        } else if (!timedOut && exitStatus == -1) {
            err.note("[ha-upgrade] " + describe(command) + " ended without an exit status (killed by a signal?)");
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        return Attempt.done(new CommandResult(timedOut ? -1 : exitStatus, out.tail(), err.tail(),
                out.droppedLines() + err.droppedLines(), elapsed, timedOut));
    }

    private static void connectInterruptibly(ChannelExec channel, int timeoutMillis)
            throws JSchException, InterruptedException {
        Future<?> opening = CHANNEL_OPENER.submit(() -> {
            channel.connect(timeoutMillis);
            return null;
        });
        try {
            opening.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof JSchException jsch) {
                throw jsch;
            }
            throw new JSchException("cannot open an exec channel: " + e.getCause(), e.getCause());
        }
    }

    /** The command was cancelled (its thread interrupted): kills it on the node and says what happened. */
    private SshException cancelled(Session current, ChannelExec channel, OutputCapture out, OutputCapture err,
            RemoteCommand command, InterruptedException e) {
        String report = kill(current, out.awaitPgidUninterruptibly(PGID_WAIT), command);
        channel.disconnect();
        out.close();
        err.close();
        Thread.currentThread().interrupt();
        return fail(describe(command) + " on node " + node() + " was cancelled; " + report, "", e);
    }

    /**
     * Ends the command's process group over a new channel (TERM, then KILL after {@link #KILL_GRACE}), with sudo
     * when the command had it, and says what happened.
     */
    private String kill(Session current, long pgid, RemoteCommand command) {
        if (pgid <= 0) {
            return "its process id never arrived, so only the channel was closed: the command may still be running "
                    + "on node " + node() + "; check it";
        }
        RemoteCommand killCommand = new RemoteCommand(CommandScript.killGroup(pgid, KILL_GRACE), CONTROL_TIMEOUT,
                command.sudo(), null, null, true);
        String outcome;
        try {
            Attempt attempt = runOnce(current, killCommand, OutputListener.NONE, false);
            outcome = attempt.result == null ? "" : attempt.result.stdout().strip();
        } catch (SshException e) {
            outcome = "";
        }
        return switch (outcome) {
            case "gone" -> "process group " + pgid + " had already ended";
            case "terminated" -> "process group " + pgid + " was killed (SIGTERM)";
            case "killed" -> "process group " + pgid + " was killed (SIGTERM, then SIGKILL after " + KILL_GRACE + ")";
            case "alive" -> "process group " + pgid + " SURVIVED SIGKILL: check node " + node();
            default -> "killing process group " + pgid + " failed: the command may still be running on node "
                    + node() + "; check it";
        };
    }

    private static void waitClosed(ChannelExec channel, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (!channel.isClosed() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    @Override
    public Upload upload(Path localFile, String remotePath, int mode) throws SshException {
        boolean reconnected = false;
        while (true) {
            Session current = liveSession();
            try {
                return uploadOnce(current, localFile, remotePath, mode);
            } catch (JSchException | SftpException e) {
                if (reconnected || current.isConnected()) {
                    throw fail("cannot upload " + localFile + " to " + remotePath + " on node " + node() + ": "
                            + e.getMessage(), "check that the directory exists and is writable by "
                            + target.credential().username(), e);
                }
                drop(current);
                reconnected = true;
            }
        }
    }

    private Upload uploadOnce(Session current, Path localFile, String remotePath, int mode)
            throws SshException, JSchException, SftpException {
        String absolute = remotePath.startsWith("/") ? remotePath : homeDir(current) + "/" + remotePath;
        String partial = absolute + ".ha-upgrade-part";
        MessageDigest sha256 = sha256();
        long size;
        ChannelSftp sftp = (ChannelSftp) current.openChannel("sftp");
        try (InputStream in = new DigestInputStream(Files.newInputStream(localFile), sha256)) {
            sftp.connect(millis(target.connectTimeout()));
            sftp.put(in, partial, ChannelSftp.OVERWRITE);
            size = Files.size(localFile);
        } catch (IOException e) {
            throw fail("cannot read " + localFile + " to upload it to node " + node() + ": " + e.getMessage(), "", e);
        } finally {
            sftp.disconnect();
        }
        String expected = HexFormat.of().formatHex(sha256.digest());
        // Verified on the node, then moved into place: the final path never holds a partial or corrupt file.
        String verify = "sum=$(sha256sum < " + ShellQuote.quote(partial) + ") || exit 1; sum=${sum%% *}; "
                + "if [ \"$sum\" = " + expected + " ]; then chmod " + Integer.toOctalString(mode) + " "
                + ShellQuote.quote(partial) + " && mv -f " + ShellQuote.quote(partial) + " "
                + ShellQuote.quote(absolute) + " && echo verified; else rm -f " + ShellQuote.quote(partial)
                + "; echo \"mismatch $sum\"; fi";
        CommandResult result = exec(new RemoteCommand(verify, CONTROL_TIMEOUT, false, null, null, true),
                OutputListener.NONE);
        String answer = result.stdout().strip();
        if (result.exitCode() == 0 && answer.equals("verified")) {
            return new Upload(node(), absolute, size, expected);
        }
        throw fail("upload of " + localFile + " to " + absolute + " on node " + node()
                + " failed verification: local SHA-256 " + expected + ", on the node "
                + (answer.startsWith("mismatch") ? answer.substring("mismatch".length()).strip() : "unknown ("
                        + result.stderr().strip() + ")"), "the file was removed from the node; upload it again", null);
    }

    private String homeDir(Session current) throws SshException {
        synchronized (this) {
            if (homeDir != null && session == current) {
                return homeDir;
            }
        }
        CommandResult pwd = exec(new RemoteCommand("pwd", CONTROL_TIMEOUT, false, null, null, true),
                OutputListener.NONE);
        String dir = pwd.stdout().strip();
        synchronized (this) {
            homeDir = dir;
        }
        return dir;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    // ---- connecting ----

    private Session connect() throws SshException {
        connector.masker().register(target.credential());
        connector.masker().register(target.sudoPassword());
        Duration backoff = target.retryBackoff();
        int attempts = target.connectRetries() + 1;
        for (int attempt = 1; ; attempt++) {
            HostKeyCheck hostKeyCheck = new HostKeyCheck(target);
            try {
                return connectOnce(hostKeyCheck);
            } catch (JSchException e) {
                SshException refusal = hostKeyCheck.refusal(masker, e);
                if (refusal != null) {
                    throw refusal;
                }
                Failure failure = classify(e);
                if (!failure.retryable || attempt >= attempts) {
                    throw fail(failure.message + (attempt > 1 ? " (after " + attempt + " attempts)" : ""),
                            failure.hint, e);
                }
            }
            try {
                Thread.sleep(backoff.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw fail("connecting to node " + node() + " was cancelled", "", e);
            }
            backoff = backoff.multipliedBy(2);
        }
    }

    private Session connectOnce(HostKeyCheck hostKeyCheck) throws JSchException, SshException {
        Credential credential = target.credential();
        JSch jsch = connector.clientFor(target);
        Session created = jsch.getSession(credential.username(), target.host(), target.port());
        created.setHostKeyRepository(hostKeyCheck);
        if (credential instanceof PasswordCredential password) {
            created.setPassword(password.password().reveal().getBytes(StandardCharsets.UTF_8));
        }
        created.setConfig("StrictHostKeyChecking", "yes");
        // JSch test-instantiates these before every handshake; its default list includes sntrup761, whose key
        // generation alone costs ~100 ms of CPU, although the offered kex list never contains it.
        created.setConfig("CheckKexes", "curve25519-sha256,curve25519-sha256@libssh.org");
        if (BOUNCY_CASTLE) {
            created.setConfig("xdh", "com.jcraft.jsch.bc.XDH");
            created.setConfig("ssh-ed25519", "com.jcraft.jsch.bc.SignatureEd25519");
        }
        created.setConfig("PreferredAuthentications",
                credential instanceof PasswordCredential ? "password" : "publickey");
        created.setConfig("server_host_key", hostKeyOrder(created.getConfig("server_host_key")));
        created.setServerAliveInterval(millis(target.keepAlive()));
        created.setServerAliveCountMax(KEEPALIVE_MISSES);
        if (target.jump() != null) {
            created.setProxy(new JumpProxy(connector.jumpSession(target.jump())));
        }
        created.connect(millis(target.connectTimeout()));
        return created;
    }

    /** Key types on record for the address first, so a server with several host keys shows a checkable one. */
    private String hostKeyOrder(String defaults) {
        List<String> known = target.hostKeys().knownKeyTypes(target.host(), target.port());
        LinkedHashSet<String> order = new LinkedHashSet<>();
        List<String> available = List.of(defaults.split(","));
        for (String type : known) {
            if (type.equals("ssh-rsa")) {
                // An RSA key is checked the same whatever hash signs it; prefer the SHA-2 signatures.
                for (String rsa : List.of("rsa-sha2-512", "rsa-sha2-256", "ssh-rsa")) {
                    if (available.contains(rsa)) {
                        order.add(rsa);
                    }
                }
            } else if (available.contains(type)) {
                order.add(type);
            }
        }
        order.addAll(available);
        return String.join(",", new ArrayList<>(order));
    }

    private Failure classify(JSchException e) {
        String address = target.host() + ":" + target.port();
        String message = String.valueOf(e.getMessage());
        String lower = message.toLowerCase(Locale.ROOT);
        Throwable cause = e.getCause();
        String user = target.credential().username();
        if (lower.contains("auth fail") || lower.contains("auth cancel") || lower.contains("userauth fail")) {
            boolean password = target.credential() instanceof PasswordCredential;
            return new Failure(false, "node " + node() + " (" + address + ") refused login as " + user + " by "
                    + (password ? "password" : "public key"), password ? "check the password of " + user
                    + " on the node" : "check that the public key is in ~" + user
                    + "/.ssh/authorized_keys on the node and that it is the right private key");
        }
        if (cause instanceof ConnectException || lower.contains("connection refused")) {
            return new Failure(true, "cannot connect to node " + node() + " at " + address + ": connection refused",
                    "check that sshd runs on the node and listens on port " + target.port());
        }
        if (cause instanceof SocketTimeoutException || lower.contains("timeout") || lower.contains("timed out")) {
            return new Failure(true, "no SSH connection to node " + node() + " at " + address + " within "
                    + target.connectTimeout(), "check that the node is up, the address and port are right and "
                    + "nothing drops the traffic; the port may accept TCP without speaking SSH");
        }
        if (cause instanceof UnknownHostException) {
            return new Failure(false, "cannot resolve the address of node " + node() + ": " + target.host(),
                    "check the node's host in the spec");
        }
        if (cause instanceof NoRouteToHostException) {
            return new Failure(true, "no route to node " + node() + " at " + address, "check the network");
        }
        return new Failure(true, "cannot connect to node " + node() + " at " + address + ": " + message,
                "check that the node runs an SSH server on that port");
    }

    private SshException fail(String message, String hint, Throwable cause) {
        return SshFailures.exception(masker, target, message, hint, cause);
    }

    private static String describe(RemoteCommand command) {
        String text = command.command();
        return "command `" + (text.length() > 200 ? text.substring(0, 200) + "...`" : text + "`");
    }

    private static boolean isPresent(String className) {
        try {
            Class.forName(className, false, JschNodeSession.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    private static int millis(Duration duration) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, duration.toMillis()));
    }

    @Override
    public void close() {
        closeConnection();
        connector.forget(this);
    }

    /** Disconnects for good, leaving the connector's bookkeeping to the caller. */
    void closeConnection() {
        Session open;
        synchronized (this) {
            closed = true;
            open = session;
            session = null;
        }
        if (open != null) {
            open.disconnect();
        }
    }

    @Override
    public String toString() {
        return "NodeSession[" + node() + " " + target.credential().username() + "@" + target.host() + ":"
                + target.port() + "]";
    }

    private record Failure(boolean retryable, String message, String hint) {
    }

    /** One try at a command: its result, or that the connection died before or after the command started. */
    private record Attempt(CommandResult result, boolean started, Throwable cause) {
        static Attempt done(CommandResult result) {
            return new Attempt(result, true, null);
        }

        static Attempt notStarted(Throwable cause) {
            return new Attempt(null, false, cause);
        }

        static Attempt lost(Throwable cause) {
            return new Attempt(null, true, cause);
        }
    }
}
