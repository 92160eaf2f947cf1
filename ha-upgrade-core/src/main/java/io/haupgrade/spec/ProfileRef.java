package io.haupgrade.spec;

import java.util.Map;

/** The HA stack profile the spec builds on, with its settings. */
@Doc("The HA stack profile: built-in role detection, fencing, switchover and health for a well-known stack. "
        + "Written as a name (profile: keepalived) or with settings.")
public record ProfileRef(
        @Required @Shorthand @Doc(value = "generic, keepalived, pacemaker, kubernetes, raft, or a profile file of your own "
                + "(a path relative to this file, e.g. ./profiles/my-stack.yaml).",
                example = "pacemaker")
        String name,
        @Doc(value = "Settings of the profile (see its page in docs/profiles); usable as ${setting.NAME}.",
                example = "{dialect: pcs, fence: standby}")
        Map<String, String> settings) {

    public static final String GENERIC = "generic";
    public static final ProfileRef DEFAULT = new ProfileRef(GENERIC, null);

    public ProfileRef {
        settings = Lists.copy(settings);
    }

    /** Whether {@code name} names a profile file (a path, resolved relative to the cluster file) rather than a built-in. */
    public boolean isFile() {
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        return name.contains("/") || name.contains("\\") || lower.endsWith(".yaml") || lower.endsWith(".yml")
                || lower.endsWith(".json");
    }

    /** The same profile with other settings: the effective ones, defaults filled in. */
    public ProfileRef withSettings(Map<String, String> other) {
        return new ProfileRef(name, other);
    }
}
