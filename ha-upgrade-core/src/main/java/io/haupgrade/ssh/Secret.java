package io.haupgrade.ssh;

import java.util.Objects;

/**
 * A value that must not be shown: a password, a passphrase, a token. {@link #toString()} hides it; only
 * {@link #reveal()} gives it out, at the one place that hands it to SSH. Register it with a {@link SecretMasker}
 * so it is also hidden when it turns up in command output.
 */
public final class Secret {
    private final String value;

    private Secret(String value) {
        this.value = Objects.requireNonNull(value, "value");
    }

    public static Secret of(String value) {
        return new Secret(value);
    }

    /** The value itself. Call it only to hand the value to the SSH client or the remote side's stdin. */
    public String reveal() {
        return value;
    }

    @Override
    public String toString() {
        return SecretMasker.MASK;
    }
}
