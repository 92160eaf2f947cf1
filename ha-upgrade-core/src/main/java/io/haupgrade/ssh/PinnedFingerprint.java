package io.haupgrade.ssh;

import java.util.List;
import java.util.regex.Pattern;

/** Trusts exactly one host key, named by its SHA256 fingerprint (a node's {@code hostKey} in the spec). */
public record PinnedFingerprint(String sha256) implements HostKeyPolicy {
    private static final Pattern FORMAT = Pattern.compile("SHA256:[A-Za-z0-9+/]{43}");

    public PinnedFingerprint {
        if (sha256 == null || !FORMAT.matcher(sha256).matches()) {
            throw new IllegalArgumentException("pinned host key fingerprint '" + sha256
                    + "' is not of the form SHA256:<43 base64 characters>; get it with ssh-keygen -lf <host key>.pub");
        }
    }

    /** A pin names one key, so any other key, of any type, is a changed key. */
    @Override
    public Verdict verify(PresentedHostKey presented) {
        return presented.key().sha256Fingerprint().equals(sha256) ? Verdict.TRUSTED : Verdict.CHANGED;
    }

    @Override
    public String howToTrust(PresentedHostKey presented, Verdict verdict) {
        return "the pinned fingerprint for node " + presented.node() + " is " + sha256
                + "; if the node's key really is " + presented.key().sha256Fingerprint()
                + " (check on its console: ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub), put that in its hostKey";
    }

    @Override
    public List<String> knownKeyTypes(String host, int port) {
        return List.of();
    }

    @Override
    public String toString() {
        return "pinned host key " + sha256;
    }
}
