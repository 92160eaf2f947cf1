package io.haupgrade.execute;

import io.haupgrade.spec.ClusterSpec;
import io.haupgrade.spec.KnownHosts;
import io.haupgrade.spec.NodeSpec;
import io.haupgrade.ssh.AcceptNewHostKeys;
import io.haupgrade.ssh.HostKeyListener;
import io.haupgrade.ssh.HostKeyPolicy;
import io.haupgrade.ssh.KnownHostsPolicy;
import io.haupgrade.ssh.NodeSession;
import io.haupgrade.ssh.PinnedFingerprint;
import io.haupgrade.ssh.SshConnector;
import io.haupgrade.ssh.SshException;
import io.haupgrade.ssh.SshTarget;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The cluster's SSH sessions over the JSch connector: targets built from the spec (host, port, user, timeouts,
 * strict host keys from known_hosts plus a node's pinned fingerprint), credentials from a {@link CredentialResolver}.
 */
public final class SshNodeSessions implements NodeSessions {
    private final ClusterSpec spec;
    private final SshConnector connector;
    private final CredentialResolver credentials;
    private final HostKeyPolicy knownHosts;
    private final Map<String, NodeSession> open = new ConcurrentHashMap<>();

    public SshNodeSessions(ClusterSpec spec, SshConnector connector, CredentialResolver credentials,
            HostKeyListener acceptedNewKeys) {
        this(spec, connector, credentials, acceptedNewKeys, null);
    }

    /**
     * @param knownHostsTextSource where {@code ssh.knownHosts.text} came from, for errors and hints (a caller that
     *                             put a key store's content there names that store: it is what a person must fix);
     *                             null when it is the spec's own field
     */
    public SshNodeSessions(ClusterSpec spec, SshConnector connector, CredentialResolver credentials,
            HostKeyListener acceptedNewKeys, String knownHostsTextSource) {
        this.spec = spec;
        this.connector = connector;
        this.credentials = credentials;
        this.knownHosts = knownHosts(spec.ssh().knownHosts(), acceptedNewKeys, knownHostsTextSource);
    }

    @Override
    public NodeSession session(String node) throws SshException {
        NodeSpec n = spec.node(node);
        String user = n.user() != null ? n.user() : spec.ssh().user();
        String id = n.credentialsId() != null ? n.credentialsId() : spec.ssh().credentialsId();
        HostKeyPolicy hostKeys = n.hostKey() == null ? knownHosts : knownHosts.and(new PinnedFingerprint(n.hostKey()));
        SshTarget target = SshTarget.builder(node, n.host(), credentials.resolve(id, user, node), hostKeys)
                .port(n.port() != null ? n.port() : spec.ssh().port())
                .connectTimeout(spec.ssh().connectTimeout())
                .keepAlive(spec.ssh().keepAlive())
                .connectRetries(spec.ssh().connectRetries())
                .build();
        NodeSession session = connector.session(target);
        open.put(node, session);
        return session;
    }

    @Override
    public void discard(String node) {
        NodeSession session = open.remove(node);
        if (session != null) {
            session.close();
        }
    }

    @Override
    public void close() {
        open.keySet().forEach(this::discard);
        connector.close();
    }

    private static HostKeyPolicy knownHosts(KnownHosts spec, HostKeyListener acceptedNewKeys, String textSource) {
        KnownHostsPolicy policy;
        if (spec.text() != null) {
            policy = KnownHostsPolicy.fromText(textSource == null ? "ssh.knownHosts.text" : textSource, spec.text());
        } else {
            policy = KnownHostsPolicy.fromFile(expandHome(spec.file()));
        }
        return spec.acceptNew() ? new AcceptNewHostKeys(policy, acceptedNewKeys) : policy;
    }

    private static Path expandHome(String file) {
        String name = file == null ? "~/.ssh/known_hosts" : file;
        return name.startsWith("~/") ? Path.of(System.getProperty("user.home"), name.substring(2)) : Path.of(name);
    }
}
