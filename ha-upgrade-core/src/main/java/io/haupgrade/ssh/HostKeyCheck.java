package io.haupgrade.ssh;

import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.UserInfo;

/**
 * Puts a {@link HostKeyPolicy} behind JSch's host key check for one connection attempt, and remembers a refusal so
 * the error can name the key and say how to trust it (JSch's own message does neither well).
 */
final class HostKeyCheck implements HostKeyRepository {
    private final SshTarget target;
    private volatile PresentedHostKey refusedKey;
    private volatile HostKeyPolicy.Verdict refusal;

    HostKeyCheck(SshTarget target) {
        this.target = target;
    }

    /** JSch names the host its own way; the target says which node and address this attempt is for. */
    @Override
    public int check(String host, byte[] key) {
        PresentedHostKey presented = new PresentedHostKey(target.node(), target.host(), target.port(),
                HostKey.fromBlob(key));
        HostKeyPolicy.Verdict verdict = target.hostKeys().verify(presented);
        if (verdict == HostKeyPolicy.Verdict.TRUSTED) {
            return OK;
        }
        refusedKey = presented;
        refusal = verdict;
        return verdict == HostKeyPolicy.Verdict.CHANGED ? CHANGED : NOT_INCLUDED;
    }

    /** Null unless the policy refused the server's key. */
    SshException refusal(SecretMasker masker, Throwable cause) {
        PresentedHostKey presented = refusedKey;
        if (presented == null) {
            return null;
        }
        String what = refusal == HostKeyPolicy.Verdict.CHANGED ? "has CHANGED" : "is unknown";
        String message = "host key of node " + target.node() + " (" + target.host() + ":" + target.port() + ") "
                + what + ": " + presented.key().type() + " " + presented.key().sha256Fingerprint()
                + ", checked against " + target.hostKeys() + "; connection refused";
        return SshFailures.exception(masker, target, message, target.hostKeys().howToTrust(presented, refusal),
                cause);
    }

    /** Accepting new keys is the policy's decision ({@link AcceptNewHostKeys}), never JSch's. */
    @Override
    public void add(com.jcraft.jsch.HostKey hostkey, UserInfo ui) {
    }

    @Override
    public void remove(String host, String type) {
    }

    @Override
    public void remove(String host, String type, byte[] key) {
    }

    @Override
    public String getKnownHostsRepositoryID() {
        return target.hostKeys().toString();
    }

    @Override
    public com.jcraft.jsch.HostKey[] getHostKey() {
        return new com.jcraft.jsch.HostKey[0];
    }

    @Override
    public com.jcraft.jsch.HostKey[] getHostKey(String host, String type) {
        return new com.jcraft.jsch.HostKey[0];
    }
}
