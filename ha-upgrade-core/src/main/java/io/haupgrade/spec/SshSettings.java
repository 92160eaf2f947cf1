package io.haupgrade.spec;

import java.time.Duration;

/** How to reach the nodes; each node may override user, port and credentials. */
@Doc("How to reach the nodes over SSH; each node may override user, port and credentials.")
public record SshSettings(
        @Doc(value = "Default SSH user.", example = "root") String user,
        @Doc("Default SSH port. Default: 22.") Integer port,
        @Doc(value = "Default credentials (a Jenkins credentials id, or a CLI credential name).", example = "ops-ssh")
        String credentialsId,
        @Doc("Where host keys are checked against. Default: ~/.ssh/known_hosts, strict.") KnownHosts knownHosts,
        @Doc("Longest wait for a TCP connection and SSH handshake. Default: 10s.") Duration connectTimeout,
        @Doc("Interval of SSH keepalive messages; a connection silent for 3 intervals is dead. Default: 15s.")
        Duration keepAlive,
        @Doc("More connection attempts after a failed one, with backoff. Default: 2.") Integer connectRetries,
        @Doc("Bastion to connect through.") JumpHost jumpHost,
        @Doc("Run every command with sudo. Default: false.") Boolean sudo,
        @Doc("Most nodes worked on at once by gates and parallel phases. Default: 16.") Integer parallelism) {

    public static final SshSettings DEFAULTS = new SshSettings(null, null, null, null, null, null, null, null, null, null);

    public SshSettings {
        port = port == null ? 22 : port;
        knownHosts = knownHosts == null ? new KnownHosts("~/.ssh/known_hosts", null, false) : knownHosts;
        connectTimeout = connectTimeout == null ? Duration.ofSeconds(10) : connectTimeout;
        keepAlive = keepAlive == null ? Duration.ofSeconds(15) : keepAlive;
        connectRetries = connectRetries == null ? 2 : connectRetries;
        sudo = sudo != null && sudo;
        parallelism = parallelism == null ? 16 : parallelism;
    }
}
