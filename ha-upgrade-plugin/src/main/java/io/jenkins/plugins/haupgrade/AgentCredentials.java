package io.jenkins.plugins.haupgrade;

import io.haupgrade.execute.CredentialResolver;
import io.haupgrade.execute.SshNodeSessions;
import io.haupgrade.spec.ClusterSpec;
import io.haupgrade.spec.SpecException;
import io.haupgrade.spec.SpecOverrides;
import io.haupgrade.ssh.Credential;
import io.haupgrade.ssh.PasswordCredential;
import io.haupgrade.ssh.PrivateKeyCredential;
import io.haupgrade.ssh.Secret;
import io.haupgrade.ssh.SecretMasker;
import io.haupgrade.ssh.SshConnector;
import io.haupgrade.ssh.SshException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The credentials one step call needs, resolved on the controller and carried to the agent inside the callable that
 * uses them. Never a field of a step execution, never written to disk: it exists only for the length of one call.
 * {@link #toString()} shows ids only.
 */
final class AgentCredentials implements CredentialResolver, Serializable {
    private static final long serialVersionUID = 1L;

    /** One stored credential: a private key (PEM or OpenSSH text, optional passphrase) or a password. */
    static final class Entry implements Serializable {
        private static final long serialVersionUID = 1L;
        private final String username;
        private final String privateKey;
        private final String secret;

        private Entry(String username, String privateKey, String secret) {
            this.username = username;
            this.privateKey = privateKey;
            this.secret = secret;
        }

        static Entry key(String username, String privateKey, String passphrase) {
            return new Entry(username, privateKey, passphrase);
        }

        static Entry password(String username, String password) {
            return new Entry(username, null, password);
        }

        Credential as(String user) {
            String name = user != null ? user : username;
            if (privateKey != null) {
                return new PrivateKeyCredential(name, privateKey.getBytes(StandardCharsets.US_ASCII),
                        secret == null || secret.isEmpty() ? null : Secret.of(secret));
            }
            return new PasswordCredential(name, Secret.of(secret));
        }

        @Override
        public String toString() {
            return (privateKey != null ? "private key of " : "password of ") + username;
        }
    }

    private final Map<String, Entry> byId;
    private final String defaultId;
    private final String knownHosts;
    /** Where {@link #knownHosts} came from, for errors and hints: the credential a person must fix; null with it. */
    private final String knownHostsSource;

    AgentCredentials(Map<String, Entry> byId, String defaultId, String knownHosts, String knownHostsSource) {
        this.byId = Map.copyOf(byId);
        this.defaultId = defaultId;
        this.knownHosts = knownHosts;
        this.knownHostsSource = knownHostsSource;
    }

    /** known_hosts text from a secret file credential, or null to use the spec's. */
    String knownHosts() {
        return knownHosts;
    }

    /** Registers every secret value so that output, events and the report show it masked. */
    void registerWith(SecretMasker masker) {
        for (Entry entry : byId.values()) {
            masker.register(entry.as(null));
        }
    }

    /**
     * On the agent: the spec of this call ({@code text} with the step's overrides, validated), with the known hosts
     * of a Jenkins credential in place of the file's when one was given.
     *
     * @throws IOException with every error of the file, each naming file, line and field
     */
    ClusterSpec specOnAgent(UpgradeSettings settings, String text) throws IOException {
        ClusterSpec spec;
        try {
            spec = settings.spec(text, settings.source());
        } catch (SpecException e) {
            throw new IOException(e.getMessage(), e);
        }
        return knownHosts == null ? spec : SpecOverrides.withKnownHosts(spec, knownHosts);
    }

    /** SSH sessions to the nodes of {@code spec} with these credentials; an accepted new host key is told on log. */
    SshNodeSessions sessions(ClusterSpec spec, SecretMasker masker, PrintStream log) {
        return new SshNodeSessions(spec, new SshConnector(masker), forSpec(spec),
                (key, recordedIn) -> log.println(masker.mask("[ha-upgrade] WARNING: accepted the new host key of "
                        + key + " (" + recordedIn + ")")),
                knownHostsSource);
    }

    /** Resolves for {@code spec}: a node's own id first, then the step's credentialsId, then the spec's. */
    CredentialResolver forSpec(ClusterSpec spec) {
        return (id, user, node) -> {
            String own = node == null ? null : spec.node(node).credentialsId();
            return resolve(own != null ? own : defaultId != null ? defaultId : id, user, node);
        };
    }

    @Override
    public Credential resolve(String credentialsId, String user, String node) throws SshException {
        Entry entry = credentialsId == null ? null : byId.get(credentialsId);
        if (entry == null) {
            throw new SshException(node, null, "no Jenkins credentials " + (credentialsId == null ? "given"
                    : "'" + credentialsId + "' resolved") + " for node " + node, "set credentialsId on the step, or "
                    + "ssh.credentialsId or the node's credentialsId in the cluster file, to the id of an 'SSH "
                    + "Username with private key' or 'Username with password' credential", null);
        }
        return entry.as(user);
    }

    @Override
    public String toString() {
        return "AgentCredentials" + byId.keySet();
    }
}
