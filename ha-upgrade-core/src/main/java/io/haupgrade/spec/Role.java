package io.haupgrade.spec;

/** The part a node plays in its cluster. Written in YAML in lower case. */
@Doc("The part a node plays: the one serving (primary) or one ready to take over (standby).")
public enum Role {
    @Doc("Holds the service, the VIP or the leadership; upgraded last, after a switchover.")
    @Aliases({"master", "leader", "active"})
    PRIMARY,
    @Doc("Ready to take over; upgraded before the primary.")
    @Aliases({"backup", "follower", "passive", "secondary", "replica"})
    STANDBY
}
