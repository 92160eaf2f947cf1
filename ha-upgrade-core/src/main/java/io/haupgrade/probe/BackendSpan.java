package io.haupgrade.probe;

import java.time.Instant;

/**
 * A stretch of consecutive successful probes answered by the same backend and version (from the response headers
 * named in the spec; {@code null} when the spec names none or the response lacked the header).
 *
 * @param from    when the first probe of the span was sent
 * @param to      when the last probe of the span was sent
 * @param count   successful probes in the span
 */
public record BackendSpan(Instant from, Instant to, String backend, String version, long count) {
}
