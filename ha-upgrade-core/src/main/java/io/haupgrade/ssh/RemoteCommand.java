package io.haupgrade.ssh;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * A command to run on a node. {@code command} is a complete shell command line whose interpolated values
 * are already quoted; env values and the working directory are quoted by the SSH layer.
 */
public record RemoteCommand(
        String command,
        Duration timeout,
        boolean sudo,
        Map<String, String> env,
        String workdir,
        boolean idempotent) {

    public RemoteCommand {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(timeout, "timeout");
        env = env == null ? Map.of() : Map.copyOf(env);
    }

    public static RemoteCommand of(String command, Duration timeout) {
        return new RemoteCommand(command, timeout, false, Map.of(), null, false);
    }
}
