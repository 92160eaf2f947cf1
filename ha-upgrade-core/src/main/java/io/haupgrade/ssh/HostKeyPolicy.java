package io.haupgrade.ssh;

import java.util.List;

/**
 * Decides whether a server's host key is the node's. Strict unless a policy says otherwise by name
 * ({@link AcceptNewHostKeys}): an unknown or changed key is refused.
 */
public interface HostKeyPolicy {

    /** What a policy concluded about a presented key. */
    enum Verdict {
        /** The key is the one on record. */
        TRUSTED,
        /** No key of this type is on record for the address. */
        UNKNOWN,
        /** A different key is on record: a reinstalled node, or someone in between. */
        CHANGED
    }

    Verdict verify(PresentedHostKey presented);

    /** What a person should do to trust {@code presented} if it is really the node's key. */
    String howToTrust(PresentedHostKey presented, Verdict verdict);

    /**
     * Key types on record for the address, most preferred first. The client asks the server for these types
     * first, as OpenSSH does, so a server with several host keys shows the one that can be checked.
     */
    default List<String> knownKeyTypes(String host, int port) {
        return List.of();
    }

    /** A policy that trusts a key only when both this one and {@code other} do (e.g. known hosts and a pin). */
    default HostKeyPolicy and(HostKeyPolicy other) {
        HostKeyPolicy first = this;
        return new HostKeyPolicy() {
            @Override
            public Verdict verify(PresentedHostKey presented) {
                Verdict a = first.verify(presented);
                Verdict b = other.verify(presented);
                if (a == Verdict.CHANGED || b == Verdict.CHANGED) {
                    return Verdict.CHANGED;
                }
                return a == Verdict.TRUSTED && b == Verdict.TRUSTED ? Verdict.TRUSTED : Verdict.UNKNOWN;
            }

            @Override
            public String howToTrust(PresentedHostKey presented, Verdict verdict) {
                HostKeyPolicy failing = first.verify(presented) != Verdict.TRUSTED ? first : other;
                return failing.howToTrust(presented, failing.verify(presented));
            }

            @Override
            public List<String> knownKeyTypes(String host, int port) {
                List<String> types = first.knownKeyTypes(host, port);
                return types.isEmpty() ? other.knownKeyTypes(host, port) : types;
            }

            @Override
            public String toString() {
                return first + " and " + other;
            }
        };
    }
}
