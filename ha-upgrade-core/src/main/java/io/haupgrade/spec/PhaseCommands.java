package io.haupgrade.spec;

import java.util.List;

/**
 * The commands of each phase of a node's upgrade. A phase left empty is skipped, unless the strategy
 * needs it (validation says so). A profile fills phases the spec leaves empty.
 */
@Doc("The commands of each phase of a node's upgrade. Each phase is a list of commands run in order.")
public record PhaseCommands(
        @Doc(value = "Take a snapshot or backup of the node before it is touched.", example = "vm-snapshot ${node.name}")
        List<CommandSpec> snapshot,
        @Doc(value = "Take the node out of service: standby, maintenance mode, drain, cordon, or block replication.",
                example = "pcs node standby ${node.name}")
        List<CommandSpec> fence,
        @Doc(value = "Install the target version.", example = "checkupgrades -i")
        List<CommandSpec> upgrade,
        @Doc("Reboot the node; the rollout then waits until SSH answers from a new boot (discovery.bootId, "
                + "policy.timeouts.reboot).")
        List<CommandSpec> reboot,
        @Doc("Node-specific checks after the upgrade; health checks and the version check run as well.")
        List<CommandSpec> verify,
        @Doc(value = "Undo the fence: bring the node back into service.", example = "pcs node unstandby ${node.name}")
        List<CommandSpec> unfence,
        @Doc("Move the primary role away from the primary before it is upgraded. Runs for the primary: self, ${node}"
                + " and ${primary} are the primary; ${peer} is the upgraded node that takes the role. The run then"
                + " waits until ${peer} is primary.")
        List<CommandSpec> switchover,
        @Doc("Move the primary role back to the original primary at the end (policy.failback). Runs, like a"
                + " switchover, for the node that is primary now (the one that took over in the switchover): self,"
                + " ${node} and ${primary} are that node; ${peer} is the original primary, which gets the role back."
                + " The run then waits until ${peer} is primary.")
        List<CommandSpec> failback,
        @Doc("Undo a failed upgrade on the node (downgrade, reinstall the old version).")
        List<CommandSpec> rollback,
        @Doc("Restore the snapshot taken before the node was touched; used when rollback is empty.")
        List<CommandSpec> restore,
        @Doc("Stop the service on the node (full-stop strategy).")
        List<CommandSpec> stop,
        @Doc("Start the service on the node (full-stop strategy).")
        List<CommandSpec> start,
        @Doc("Add an incoming node to the cluster (replace strategy).")
        List<CommandSpec> join,
        @Doc("Remove an old node from the cluster (replace strategy).")
        List<CommandSpec> leave) {

    public static final PhaseCommands NONE =
            new PhaseCommands(null, null, null, null, null, null, null, null, null, null, null, null, null, null);

    public PhaseCommands {
        snapshot = Lists.copy(snapshot);
        fence = Lists.copy(fence);
        upgrade = Lists.copy(upgrade);
        reboot = Lists.copy(reboot);
        verify = Lists.copy(verify);
        unfence = Lists.copy(unfence);
        switchover = Lists.copy(switchover);
        failback = Lists.copy(failback);
        rollback = Lists.copy(rollback);
        restore = Lists.copy(restore);
        stop = Lists.copy(stop);
        start = Lists.copy(start);
        join = Lists.copy(join);
        leave = Lists.copy(leave);
    }

    /** The commands of one phase. */
    public List<CommandSpec> of(Phase phase) {
        return switch (phase) {
            case SNAPSHOT -> snapshot;
            case FENCE -> fence;
            case UPGRADE -> upgrade;
            case REBOOT -> reboot;
            case VERIFY -> verify;
            case UNFENCE -> unfence;
            case SWITCHOVER -> switchover;
            case FAILBACK -> failback;
            case ROLLBACK -> rollback;
            case RESTORE -> restore;
            case STOP -> stop;
            case START -> start;
            case JOIN -> join;
            case LEAVE -> leave;
        };
    }

    /** These commands, with every phase that is empty here taken from {@code fallback}. */
    public PhaseCommands orElse(PhaseCommands fallback) {
        return new PhaseCommands(
                pick(snapshot, fallback.snapshot), pick(fence, fallback.fence), pick(upgrade, fallback.upgrade),
                pick(reboot, fallback.reboot), pick(verify, fallback.verify), pick(unfence, fallback.unfence),
                pick(switchover, fallback.switchover), pick(failback, fallback.failback),
                pick(rollback, fallback.rollback), pick(restore, fallback.restore), pick(stop, fallback.stop),
                pick(start, fallback.start), pick(join, fallback.join), pick(leave, fallback.leave));
    }

    private static List<CommandSpec> pick(List<CommandSpec> own, List<CommandSpec> fallback) {
        return own.isEmpty() ? fallback : own;
    }
}
