package io.haupgrade.health;

import io.haupgrade.spec.CommandSpec;
import io.haupgrade.ssh.CommandResult;
import io.haupgrade.ssh.SshException;

/**
 * Runs a spec command over SSH: rendered with the variables of {@code subject} (the node the check is about),
 * run on {@code target} (where the command's {@code on} points). The engine implements it over its sessions.
 */
@FunctionalInterface
public interface NodeCommandRunner {
    CommandResult run(String target, String subject, CommandSpec command) throws SshException;
}
