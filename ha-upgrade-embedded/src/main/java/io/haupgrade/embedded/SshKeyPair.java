package io.haupgrade.embedded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyEncryptionContext;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;

/** A key pair generated in memory, for host keys of embedded nodes and for the clients that log in to them. */
public final class SshKeyPair {
    private final KeyType type;
    private final KeyPair keyPair;

    private SshKeyPair(KeyType type, KeyPair keyPair) {
        this.type = type;
        this.keyPair = keyPair;
    }

    public static SshKeyPair generate(KeyType type) {
        try {
            return new SshKeyPair(type, KeyUtils.generateKeyPair(type.sshName(), type.bits()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a " + type + " key pair: " + e.getMessage(), e);
        }
    }

    public KeyType type() {
        return type;
    }

    public KeyPair keyPair() {
        return keyPair;
    }

    public PublicKey publicKey() {
        return keyPair.getPublic();
    }

    /** {@code <type> <base64>}, the public key as authorized_keys and known_hosts lines write it. */
    public String publicKeyEntry() {
        return PublicKeyEntry.toString(keyPair.getPublic());
    }

    /** The OpenSSH SHA256 fingerprint, {@code SHA256:<base64 without padding>}. */
    public String sha256Fingerprint() {
        return KeyUtils.getFingerPrint(keyPair.getPublic());
    }

    /**
     * The private key in OpenSSH format ({@code -----BEGIN OPENSSH PRIVATE KEY-----}), encrypted with
     * {@code passphrase} (AES-256-CTR, bcrypt KDF) unless it is null.
     */
    public byte[] openSshPrivateKey(String passphrase) {
        OpenSSHKeyEncryptionContext encryption = null;
        if (passphrase != null) {
            encryption = new OpenSSHKeyEncryptionContext();
            encryption.setCipherName("AES");
            encryption.setCipherType("256");
            encryption.setPassword(passphrase);
            // Few bcrypt rounds: these keys protect nothing, and tests should not spend seconds decrypting them.
            encryption.setKdfRounds(2);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(keyPair, "ha-upgrade-test", encryption, out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode the " + type + " private key", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encode the " + type + " private key: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }
}
