package io.haupgrade.lock;

import io.haupgrade.ssh.CommandResult;
import io.haupgrade.ssh.SshException;
import java.time.Duration;

/** Runs one engine-built shell command on a node; the engine implements it over its SSH sessions. */
@FunctionalInterface
public interface LockTransport {
    CommandResult exec(String node, String command, Duration timeout) throws SshException;
}
