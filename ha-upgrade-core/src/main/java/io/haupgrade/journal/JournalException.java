package io.haupgrade.journal;

import java.nio.file.Path;

/** The journal could not be written or read; the run cannot promise to be resumable and stops. */
public class JournalException extends RuntimeException {
    private final Path file;

    public JournalException(Path file, String message, Throwable cause) {
        super(file + ": " + message, cause);
        this.file = file;
    }

    public Path file() {
        return file;
    }
}
