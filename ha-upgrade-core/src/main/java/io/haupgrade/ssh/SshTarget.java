package io.haupgrade.ssh;

import java.time.Duration;
import java.util.Objects;

/**
 * Everything needed to reach one node over SSH. {@code toString()} shows no secret.
 *
 * @param node the node's name in the spec, used in every message
 * @param jump the bastion to tunnel through (OpenSSH's ProxyJump), or null
 * @param keepAlive interval of keepalive messages; three unanswered ones mark the connection dead
 * @param connectRetries further connection attempts after a failed one (network failures only, never after a
 *     refused login or host key), waiting {@code retryBackoff}, then twice that, and so on
 * @param sudoPassword fed to {@code sudo -S} on stdin for {@link RemoteCommand#sudo()} commands, or null for
 *     {@code sudo -n} (passwordless sudo)
 */
public record SshTarget(
        String node,
        String host,
        int port,
        Credential credential,
        HostKeyPolicy hostKeys,
        SshTarget jump,
        Duration connectTimeout,
        Duration keepAlive,
        int connectRetries,
        Duration retryBackoff,
        Secret sudoPassword) {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_KEEP_ALIVE = Duration.ofSeconds(15);
    public static final int DEFAULT_CONNECT_RETRIES = 2;
    public static final Duration DEFAULT_RETRY_BACKOFF = Duration.ofSeconds(1);

    public SshTarget {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(credential, "credential of node " + node);
        Objects.requireNonNull(hostKeys, "host key policy of node " + node);
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(keepAlive, "keepAlive");
        Objects.requireNonNull(retryBackoff, "retryBackoff");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("SSH port of node " + node + " is " + port + "; expected 1..65535");
        }
        if (connectRetries < 0) {
            throw new IllegalArgumentException("connectRetries of node " + node + " is " + connectRetries
                    + "; expected 0 or more");
        }
    }

    /** A target on port 22 with the default timeouts, retries and no jump host or sudo password. */
    public static Builder builder(String node, String host, Credential credential, HostKeyPolicy hostKeys) {
        return new Builder(node, host, credential, hostKeys);
    }

    public Builder toBuilder() {
        return new Builder(node, host, credential, hostKeys).port(port).jump(jump).connectTimeout(connectTimeout)
                .keepAlive(keepAlive).connectRetries(connectRetries).retryBackoff(retryBackoff)
                .sudoPassword(sudoPassword);
    }

    /** Builds an {@link SshTarget}; every option has a default. */
    public static final class Builder {
        private final String node;
        private final String host;
        private final Credential credential;
        private final HostKeyPolicy hostKeys;
        private int port = 22;
        private SshTarget jump;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration keepAlive = DEFAULT_KEEP_ALIVE;
        private int connectRetries = DEFAULT_CONNECT_RETRIES;
        private Duration retryBackoff = DEFAULT_RETRY_BACKOFF;
        private Secret sudoPassword;

        private Builder(String node, String host, Credential credential, HostKeyPolicy hostKeys) {
            this.node = node;
            this.host = host;
            this.credential = credential;
            this.hostKeys = hostKeys;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder jump(SshTarget jump) {
            this.jump = jump;
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        public Builder keepAlive(Duration keepAlive) {
            this.keepAlive = keepAlive;
            return this;
        }

        public Builder connectRetries(int connectRetries) {
            this.connectRetries = connectRetries;
            return this;
        }

        public Builder retryBackoff(Duration retryBackoff) {
            this.retryBackoff = retryBackoff;
            return this;
        }

        public Builder sudoPassword(Secret sudoPassword) {
            this.sudoPassword = sudoPassword;
            return this;
        }

        public SshTarget build() {
            return new SshTarget(node, host, port, credential, hostKeys, jump, connectTimeout, keepAlive,
                    connectRetries, retryBackoff, sudoPassword);
        }
    }
}
