package io.haupgrade.ssh;

import java.time.Duration;

/**
 * What a command did. Output keeps only a bounded tail; {@code droppedLines} counts what was not kept.
 * A command killed at its timeout has {@code timedOut} set and exit code -1.
 */
public record CommandResult(
        int exitCode,
        String stdout,
        String stderr,
        long droppedLines,
        Duration elapsed,
        boolean timedOut) {
}
