package io.haupgrade.ssh;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Log in with a private key: OpenSSH ({@code BEGIN OPENSSH PRIVATE KEY}) or PEM format, ed25519, ecdsa or rsa,
 * optionally encrypted with {@code passphrase} (null when the key is not encrypted).
 */
public record PrivateKeyCredential(String username, byte[] privateKey, Secret passphrase) implements Credential {

    public PrivateKeyCredential {
        Objects.requireNonNull(username, "username");
        privateKey = Objects.requireNonNull(privateKey, "privateKey").clone();
    }

    @Override
    public byte[] privateKey() {
        return privateKey.clone();
    }

    /** The passphrase and every line of the key text, so a key printed by a command is masked too. */
    @Override
    public List<String> secretValues() {
        List<String> values = new ArrayList<>();
        if (passphrase != null) {
            values.add(passphrase.reveal());
        }
        for (String line : new String(privateKey, StandardCharsets.US_ASCII).split("\\R")) {
            // Base64 body lines; short and header lines ("-----BEGIN ...", "Proc-Type: ...") give nothing away.
            if (line.length() >= 24 && !line.startsWith("-----") && !line.contains(":")) {
                values.add(line.strip());
            }
        }
        return values;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PrivateKeyCredential that && username.equals(that.username)
                && java.util.Arrays.equals(privateKey, that.privateKey);
    }

    @Override
    public int hashCode() {
        return username.hashCode();
    }

    @Override
    public String toString() {
        return "PrivateKeyCredential[username=" + username + ", privateKey=" + SecretMasker.MASK + "]";
    }
}
