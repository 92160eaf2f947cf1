package io.haupgrade.spec;

import java.time.Duration;

/** Every wait of a rollout is finite; these are the defaults. */
@Doc("Every wait of a rollout is finite; these are its limits.")
public record Timeouts(
        @Doc("Default limit of one command. Default: 10m.") Duration command,
        @Doc("Limit of a fence (drain, standby) to take effect. Default: 10m.") Duration fence,
        @Doc("Limit of a switchover, until the new primary is seen. Default: 2m.") Duration switchover,
        @Doc("Limit of a reboot, until SSH answers from a new boot. Default: 15m.") Duration reboot,
        @Doc("A lock older than this is expired (its holder died). Must be longer than approvals.timeout when the run "
                + "may wait for a person. Default: 2h.") Duration lock) {

    public static final Timeouts DEFAULTS = new Timeouts(null, null, null, null, null);

    public Timeouts {
        command = command == null ? Duration.ofMinutes(10) : command;
        fence = fence == null ? Duration.ofMinutes(10) : fence;
        switchover = switchover == null ? Duration.ofMinutes(2) : switchover;
        reboot = reboot == null ? Duration.ofMinutes(15) : reboot;
        lock = lock == null ? Duration.ofHours(2) : lock;
    }
}
