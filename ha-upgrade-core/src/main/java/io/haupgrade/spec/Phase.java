package io.haupgrade.spec;

/** The phases a node's upgrade is made of; each maps to a list of commands in {@link PhaseCommands}. */
public enum Phase {
    SNAPSHOT,
    FENCE,
    UPGRADE,
    REBOOT,
    VERIFY,
    UNFENCE,
    SWITCHOVER,
    FAILBACK,
    ROLLBACK,
    RESTORE,
    STOP,
    START,
    JOIN,
    LEAVE
}
