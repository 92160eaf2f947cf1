package io.haupgrade.report;

import java.time.Instant;

/**
 * One phase run on one node.
 *
 * @param stepId   the plan step it belongs to
 * @param phase    the phase in lower case as in the spec ({@code fence}, {@code upgrade}, ...) or a hook name
 * @param end      null when the phase never ended (the run stopped inside it)
 * @param detail   what happened in words (masked): the failing command and its last output line, or a summary
 * @param exitCode exit code of the failing or last command; null when no command ran or it was cut off
 */
public record PhaseRecord(String stepId, String phase, Instant start, Instant end, PhaseOutcome outcome,
                          String detail, Integer exitCode) {
}
