package io.haupgrade.ssh;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

/** A server's public host key in SSH wire format, as known_hosts stores it (base64) and as the server sends it. */
public record HostKey(String type, byte[] blob) {

    public HostKey {
        blob = blob.clone();
    }

    /** The key of an SSH wire blob, its type read from the blob's first field. */
    public static HostKey fromBlob(byte[] blob) {
        return new HostKey(typeOf(blob), blob);
    }

    /** The key of a known_hosts or authorized_keys entry's {@code <type> <base64>}. */
    public static HostKey fromBase64(String type, String base64) {
        byte[] blob = Base64.getDecoder().decode(base64);
        String inBlob = typeOf(blob);
        if (!inBlob.equals(type)) {
            throw new IllegalArgumentException("key says it is " + type + " but its data is " + inBlob);
        }
        return new HostKey(type, blob);
    }

    private static String typeOf(byte[] blob) {
        ByteBuffer buffer = ByteBuffer.wrap(blob);
        if (blob.length < 4) {
            throw new IllegalArgumentException("key data too short (" + blob.length + " bytes)");
        }
        int length = buffer.getInt();
        if (length <= 0 || length > blob.length - 4) {
            throw new IllegalArgumentException("key data does not start with a key type");
        }
        return new String(blob, 4, length, StandardCharsets.US_ASCII);
    }

    @Override
    public byte[] blob() {
        return blob.clone();
    }

    public String base64() {
        return Base64.getEncoder().encodeToString(blob);
    }

    /** {@code SHA256:<base64 without padding>}, the fingerprint {@code ssh-keygen -l} and {@code ssh} show. */
    public String sha256Fingerprint() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(blob);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof HostKey that && type.equals(that.type) && Arrays.equals(blob, that.blob);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(blob);
    }

    @Override
    public String toString() {
        return type + " " + sha256Fingerprint();
    }
}
