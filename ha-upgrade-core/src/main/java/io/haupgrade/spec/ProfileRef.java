package io.haupgrade.spec;

import java.util.Map;

/** The HA stack profile the spec builds on, with its settings. */
@Doc("The HA stack profile: built-in role detection, fencing, switchover and health for a well-known stack. "
        + "Written as a name (profile: keepalived) or with settings.")
public record ProfileRef(
        @Required @Shorthand @Doc(value = "generic, keepalived, pacemaker, kubernetes, raft, or a file of your own.",
                example = "pacemaker")
        String name,
        @Doc(value = "Settings of the profile (see its page in docs/profiles).", example = "{dialect: pcs, fence: standby}")
        Map<String, String> settings) {

    public static final String GENERIC = "generic";
    public static final ProfileRef DEFAULT = new ProfileRef(GENERIC, null);

    public ProfileRef {
        settings = Lists.copy(settings);
    }
}
