package io.haupgrade.ssh;

import java.io.IOException;

/** Builds {@link SshException}s whose message, hint and cause chain hold no secret. */
final class SshFailures {
    private SshFailures() {
    }

    static SshException exception(SecretMasker masker, SshTarget target, String message, String hint,
            Throwable cause) {
        String fullMessage = message + (hint == null || hint.isEmpty() ? "" : "\nhint: " + hint);
        return new SshException(target.node(), target.host(), masker.mask(fullMessage), masker.mask(hint),
                cause == null ? null : masked(masker, cause));
    }

    /**
     * The library's exception re-told with its message masked (JSch puts key material and commands in some of
     * its messages); the stack trace is kept for whoever debugs the layer.
     */
    private static Throwable masked(SecretMasker masker, Throwable cause) {
        if (cause instanceof SshException) {
            return cause;
        }
        IOException copy = new IOException(masker.mask(cause.getClass().getName() + ": " + cause.getMessage()),
                cause.getCause() == null ? null : masked(masker, cause.getCause()));
        copy.setStackTrace(cause.getStackTrace());
        return copy;
    }
}
