package io.haupgrade.ssh;

/**
 * SSH could not do what was asked: connect, authenticate, verify a host key, or learn a command's outcome.
 * The message names the node and host and says what a person can do about it; it never holds a secret.
 */
public class SshException extends Exception {
    private final String node;
    private final String host;
    private final String hint;

    public SshException(String node, String host, String message, String hint, Throwable cause) {
        super(message, cause);
        this.node = node;
        this.host = host;
        this.hint = hint;
    }

    public String node() {
        return node;
    }

    public String host() {
        return host;
    }

    /** What a person can do about it, or an empty string. */
    public String hint() {
        return hint == null ? "" : hint;
    }
}
