package io.haupgrade.execute;

import java.time.Clock;
import java.util.Objects;

/**
 * What a rollout works with that is not in the spec: SSH sessions (credentials already resolved by the driver),
 * where its events go, and the clock. The rollout owns the sessions from then on and closes them in
 * {@link Rollout#close()}.
 */
public record RolloutContext(NodeSessions sessions, RunListener listener, Clock clock) {
    public RolloutContext {
        Objects.requireNonNull(sessions, "sessions");
        listener = listener == null ? RunListener.NONE : listener;
        clock = clock == null ? Clock.systemUTC() : clock;
    }
}
