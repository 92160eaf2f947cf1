package io.jenkins.plugins.haupgrade;

import com.cloudbees.jenkins.plugins.sshcredentials.SSHUserPrivateKey;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import hudson.AbortException;
import hudson.model.Run;
import io.haupgrade.spec.ClusterSpec;
import io.haupgrade.spec.NodeSpec;
import io.haupgrade.ssh.KnownHostsPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.jenkinsci.plugins.plaincredentials.FileCredentials;

/**
 * Looks up the credentials a run needs in Jenkins, on the controller, as the build: only what the build's
 * authentication may use in its job is found ({@link CredentialsProvider#findCredentialById(String, Class, Run,
 * com.cloudbees.plugins.credentials.domains.DomainRequirement...)}), and every use is recorded for the credential's
 * usage tracking.
 */
final class JenkinsCredentials {
    private JenkinsCredentials() {
    }

    /** The ids each member node logs in with: its own, else the step's, else the spec's ssh.credentialsId. */
    static Set<String> idsFor(ClusterSpec spec, String stepDefault) {
        Set<String> ids = new LinkedHashSet<>();
        for (NodeSpec node : spec.nodes()) {
            String id = node.credentialsId() != null ? node.credentialsId()
                    : stepDefault != null ? stepDefault : spec.ssh().credentialsId();
            if (id != null) {
                ids.add(id);
            }
        }
        return ids;
    }

    static AgentCredentials resolve(Run<?, ?> run, ClusterSpec spec, UpgradeSettings settings)
            throws IOException {
        Map<String, AgentCredentials.Entry> byId = new LinkedHashMap<>();
        for (String id : idsFor(spec, blankToNull(settings.credentialsId()))) {
            byId.put(id, lookUp(run, id));
        }
        String knownHosts = null;
        String knownHostsSource = null;
        String knownHostsId = blankToNull(settings.knownHostsCredentialsId());
        if (knownHostsId != null) {
            FileCredentials file = CredentialsProvider.findCredentialById(knownHostsId, FileCredentials.class, run);
            if (file == null) {
                throw new AbortException(Messages.Credentials_knownHostsNotFound(knownHostsId));
            }
            CredentialsProvider.track(run, file);
            try (InputStream in = file.getContent()) {
                knownHosts = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            knownHostsSource = "the secret file credentials '" + knownHostsId + "'";
            try {
                // Checked here, before the run starts: a line that does not parse stops nothing half-way.
                KnownHostsPolicy.fromText(knownHostsSource, knownHosts);
            } catch (IllegalArgumentException e) {
                throw new AbortException(e.getMessage());
            }
        }
        return new AgentCredentials(byId, blankToNull(settings.credentialsId()), knownHosts, knownHostsSource);
    }

    private static AgentCredentials.Entry lookUp(Run<?, ?> run, String id) throws AbortException {
        SSHUserPrivateKey key = CredentialsProvider.findCredentialById(id, SSHUserPrivateKey.class, run);
        if (key != null) {
            CredentialsProvider.track(run, key);
            if (key.getPrivateKeys().isEmpty()) {
                throw new AbortException(Messages.Credentials_noKey(id));
            }
            hudson.util.Secret passphrase = key.getPassphrase();
            return AgentCredentials.Entry.key(key.getUsername(), key.getPrivateKeys().get(0),
                    passphrase == null ? null : passphrase.getPlainText());
        }
        StandardUsernamePasswordCredentials password =
                CredentialsProvider.findCredentialById(id, StandardUsernamePasswordCredentials.class, run);
        if (password != null) {
            CredentialsProvider.track(run, password);
            return AgentCredentials.Entry.password(password.getUsername(), password.getPassword().getPlainText());
        }
        throw new AbortException(Messages.Credentials_notFound(id));
    }

    static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }
}
