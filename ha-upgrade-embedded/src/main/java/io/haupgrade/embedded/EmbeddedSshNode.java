package io.haupgrade.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.common.file.nativefs.NativeFileSystemFactory;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.forward.AcceptAllForwardingFilter;
import org.apache.sshd.server.forward.RejectAllForwardingFilter;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;

/**
 * A cluster node in this JVM: an Apache MINA SSH server on 127.0.0.1 that runs real {@code /bin/sh} commands in
 * the node's own directory (env {@code NODE_NAME}, {@code NODE_DIR}), serves SFTP, and checks logins against
 * authorized public keys and an optional password. It can be stopped (unreachable) and started again on the same
 * port with the same host key, like a reboot.
 */
public final class EmbeddedSshNode implements AutoCloseable {
    private static final String HOST = "127.0.0.1";
    /**
     * Session timeouts of every node in the JVM; MINA would otherwise start a timer thread per server, 500 idle
     * threads for a 500-node cluster.
     */
    private static final ScheduledExecutorService TIMERS = Executors.newScheduledThreadPool(1, runnable -> {
        Thread thread = new Thread(runnable, "embedded-ssh-timers");
        thread.setDaemon(true);
        return thread;
    });

    private final String name;
    private final Path dir;
    private final String user;
    private final SshKeyPair hostKey;
    private final List<PublicKey> authorizedKeys;
    private final String password;
    private final boolean tcpForwarding;
    private final Map<String, String> env;
    private final Set<Process> liveProcesses = ConcurrentHashMap.newKeySet();
    private int port;
    private SshServer server;

    private EmbeddedSshNode(Builder builder) {
        this.name = builder.name;
        this.dir = builder.dir.toAbsolutePath();
        this.user = builder.user;
        this.hostKey = builder.hostKey != null ? builder.hostKey : SshKeyPair.generate(builder.hostKeyType);
        this.authorizedKeys = List.copyOf(builder.authorizedKeys);
        this.password = builder.password;
        this.tcpForwarding = builder.tcpForwarding;
        Map<String, String> nodeEnv = new LinkedHashMap<>(builder.env);
        nodeEnv.put("NODE_NAME", name);
        nodeEnv.put("NODE_DIR", dir.toString());
        this.env = Map.copyOf(nodeEnv);
        this.port = builder.port;
    }

    /** A node named {@code name} whose files live in {@code dir} (created if missing). */
    public static Builder builder(String name, Path dir) {
        return new Builder(name, dir);
    }

    public String name() {
        return name;
    }

    /** Always 127.0.0.1: the nodes listen on loopback only. */
    public String host() {
        return HOST;
    }

    /** The port, fixed at the first start and kept across restarts. */
    public synchronized int port() {
        return port;
    }

    /** The node's directory: working directory of its commands and {@code $NODE_DIR}. */
    public Path dir() {
        return dir;
    }

    /** The user that may log in. */
    public String user() {
        return user;
    }

    public SshKeyPair hostKey() {
        return hostKey;
    }

    /** {@code SHA256:...} of the host key, as {@code ssh-keygen -l} prints it. */
    public String hostKeyFingerprint() {
        return hostKey.sha256Fingerprint();
    }

    /** This node's line for a known_hosts file: {@code [127.0.0.1]:<port> <type> <base64>}. */
    public String knownHostsLine() {
        return "[" + HOST + "]:" + port() + " " + hostKey.publicKeyEntry();
    }

    public synchronized boolean isRunning() {
        return server != null && server.isStarted();
    }

    /** Starts the server; after a {@link #stop()} it comes back on the same port with the same host key. */
    public synchronized EmbeddedSshNode start() {
        if (isRunning()) {
            throw new IllegalStateException("node " + name + " is already running on port " + port);
        }
        SshServer sshd = SshServer.setUpDefaultServer();
        sshd.setHost(HOST);
        sshd.setPort(port);
        // Without it, Nagle's algorithm and delayed ACKs add ~40 ms to each small exchange of the protocol.
        CoreModuleProperties.TCP_NODELAY.set(sshd, true);
        sshd.setScheduledExecutorService(TIMERS, false);
        sshd.setKeyPairProvider(KeyPairProvider.wrap(hostKey.keyPair()));
        sshd.setPublickeyAuthenticator((login, key, session) -> user.equals(login)
                && authorizedKeys.stream().anyMatch(authorized -> KeyUtils.compareKeys(authorized, key)));
        sshd.setPasswordAuthenticator(password == null ? null
                : (login, offered, session) -> user.equals(login) && password.equals(offered));
        sshd.setKeyboardInteractiveAuthenticator(null);
        sshd.setCommandFactory((channel, command) -> new ShellCommand(command, dir, env, liveProcesses));
        NativeFileSystemFactory files = new NativeFileSystemFactory();
        sshd.setFileSystemFactory(files);
        sshd.setSubsystemFactories(List.of(new SftpSubsystemFactory()));
        sshd.setForwardingFilter(tcpForwarding ? AcceptAllForwardingFilter.INSTANCE : RejectAllForwardingFilter.INSTANCE);
        try {
            sshd.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start SSH server of node " + name + " on " + HOST + ":" + port, e);
        }
        port = sshd.getPort();
        server = sshd;
        return this;
    }

    /**
     * Stops the server at once: open connections drop and new ones are refused, as if the node went down.
     * Commands still running keep running, as processes on a real node would until it powers off.
     */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        try {
            server.stop(true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stop SSH server of node " + name, e);
        } finally {
            server = null;
        }
    }

    /** Drops every open SSH connection but keeps listening: a network blip, not a reboot. */
    public synchronized void dropConnections() {
        if (server != null) {
            for (Session session : new ArrayList<>(server.getActiveSessions())) {
                session.close(true);
            }
        }
    }

    /** Open SSH connections to this node. */
    public synchronized int activeConnections() {
        return server == null ? 0 : server.getActiveSessions().size();
    }

    /** Stops the server and kills the commands still running, so nothing outlives the node. */
    @Override
    public synchronized void close() {
        stop();
        for (Process process : List.copyOf(liveProcesses)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        liveProcesses.clear();
    }

    @Override
    public String toString() {
        return "EmbeddedSshNode[" + name + " " + HOST + ":" + port + "]";
    }

    /** Options of a node; {@link #start()} builds and starts it. */
    public static final class Builder {
        private final String name;
        private final Path dir;
        private String user = "ops";
        private KeyType hostKeyType = KeyType.ED25519;
        private SshKeyPair hostKey;
        private final List<PublicKey> authorizedKeys = new ArrayList<>();
        private String password;
        private boolean tcpForwarding;
        private final Map<String, String> env = new LinkedHashMap<>();
        private int port;

        private Builder(String name, Path dir) {
            this.name = Objects.requireNonNull(name, "name");
            this.dir = Objects.requireNonNull(dir, "dir");
        }

        /** The login name accepted by the node. Default: ops. */
        public Builder user(String user) {
            this.user = Objects.requireNonNull(user, "user");
            return this;
        }

        /** Type of the host key generated for this node. Default: ed25519. */
        public Builder hostKeyType(KeyType type) {
            this.hostKeyType = Objects.requireNonNull(type, "type");
            return this;
        }

        /** Uses this host key instead of generating one. */
        public Builder hostKey(SshKeyPair key) {
            this.hostKey = Objects.requireNonNull(key, "key");
            return this;
        }

        /** Accepts logins with the private key of {@code key}. */
        public Builder authorizedKey(SshKeyPair key) {
            authorizedKeys.add(key.publicKey());
            return this;
        }

        /** Accepts logins with the key of an authorized_keys line ({@code <type> <base64> [comment]}). */
        public Builder authorizedKey(String authorizedKeysLine) {
            try {
                authorizedKeys.add(AuthorizedKeyEntry.parseAuthorizedKeyEntry(authorizedKeysLine)
                        .resolvePublicKey(null, PublicKeyEntryResolver.FAILING));
            } catch (IOException | java.security.GeneralSecurityException | IllegalArgumentException e) {
                throw new IllegalArgumentException("not an authorized_keys line: " + e.getMessage(), e);
            }
            return this;
        }

        /** Accepts password logins with this password. Default: none, keys only. */
        public Builder password(String password) {
            this.password = password;
            return this;
        }

        /** Lets clients open TCP tunnels through this node, so it can serve as a jump host. Default: refused. */
        public Builder allowTcpForwarding() {
            this.tcpForwarding = true;
            return this;
        }

        /** An environment variable every command on this node sees. */
        public Builder env(String key, String value) {
            env.put(key, value);
            return this;
        }

        /** A fixed port instead of an ephemeral one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public EmbeddedSshNode start() {
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create directory of node " + name + ": " + dir, e);
            }
            return new EmbeddedSshNode(this).start();
        }
    }
}
