package io.haupgrade.execute;

import io.haupgrade.ssh.NodeSession;
import io.haupgrade.ssh.SshException;

/**
 * Open SSH sessions to the cluster's nodes, one reused per node. The CLI builds it from the SSH layer's connector
 * with credentials resolved from files; the Jenkins plugin from its credentials store, on the agent.
 */
public interface NodeSessions extends AutoCloseable {
    /** The open session to {@code node}, connecting first if there is none (or the last one was discarded). */
    NodeSession session(String node) throws SshException;

    /** Forgets the session to {@code node} (closing it): after a lost connection or a reboot. */
    void discard(String node);

    @Override
    void close();
}
