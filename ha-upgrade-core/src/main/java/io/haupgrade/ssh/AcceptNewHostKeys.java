package io.haupgrade.ssh;

import java.util.List;
import java.util.Objects;

/**
 * OpenSSH's {@code StrictHostKeyChecking=accept-new}, as an explicit opt-in: the key of an address never seen is
 * recorded in the known hosts and reported to the listener. A changed key is still refused, and so is a key of a
 * new type for an address whose other keys are on record (it could be someone else's).
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
        if (verdict != Verdict.UNKNOWN || !knownHosts.knownKeyTypes(presented.host(), presented.port()).isEmpty()) {
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
