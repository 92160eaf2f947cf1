package io.haupgrade.embedded;

/** The SSH key algorithms the embedded nodes generate keys of, for host keys and client keys. */
public enum KeyType {
    ED25519("ssh-ed25519", 256),
    ECDSA_P256("ecdsa-sha2-nistp256", 256),
    ECDSA_P384("ecdsa-sha2-nistp384", 384),
    /** Signed with rsa-sha2-256/512 by current clients; 2048 bits keeps generation fast enough for tests. */
    RSA("ssh-rsa", 2048);

    private final String sshName;
    private final int bits;

    KeyType(String sshName, int bits) {
        this.sshName = sshName;
        this.bits = bits;
    }

    /** The key type as written in known_hosts and authorized_keys lines. */
    public String sshName() {
        return sshName;
    }

    int bits() {
        return bits;
    }
}
