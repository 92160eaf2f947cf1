package io.haupgrade.execute;

import io.haupgrade.ssh.Credential;
import io.haupgrade.ssh.SshException;

/**
 * Turns a spec's credentials id into a credential, for one node. The CLI resolves ids to key files and passwords
 * from environment variables; Jenkins to its stored credentials. Secrets never pass through the spec or events.
 */
@FunctionalInterface
public interface CredentialResolver {
    /**
     * @param credentialsId the node's (or the cluster's) credentialsId; null when the spec names none
     * @param user          the SSH user the spec names for the node; null when it names none
     * @throws SshException when no credential is known for the id, with a hint on how to provide one
     */
    Credential resolve(String credentialsId, String user, String node) throws SshException;
}
