package io.haupgrade.ssh;

import java.util.List;
import java.util.Objects;

/**
 * OpenSSH's {@code StrictHostKeyChecking=accept-new}, as an explicit opt-in: a key never seen for an address is
 * recorded in the known hosts and reported to the listener; a changed key is still refused.
 */
public final class AcceptNewHostKeys implements HostKeyPolicy {
    private final KnownHostsPolicy knownHosts;
    private final HostKeyListener listener;

    public AcceptNewHostKeys(KnownHostsPolicy knownHosts, HostKeyListener listener) {
        this.knownHosts = Objects.requireNonNull(knownHosts, "knownHosts");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    @Override
    public Verdict verify(PresentedHostKey presented) {
        Verdict verdict = knownHosts.verify(presented);
        if (verdict != Verdict.UNKNOWN) {
            return verdict;
        }
        String recordedIn = knownHosts.record(presented);
        listener.acceptedNewKey(presented, recordedIn);
        return Verdict.TRUSTED;
    }

    @Override
    public String howToTrust(PresentedHostKey presented, Verdict verdict) {
        return knownHosts.howToTrust(presented, verdict);
    }

    @Override
    public List<String> knownKeyTypes(String host, int port) {
        return knownHosts.knownKeyTypes(host, port);
    }

    @Override
    public String toString() {
        return knownHosts + ", accepting new keys";
    }
}
