package io.haupgrade.spec;

/** Commands that read the live state of the cluster before each node. */
@Doc("Commands that read the live state of the cluster: roles and versions. Run before every node.")
public record Discovery(
        @Doc("Role detection; without it, declared node roles are used.") RoleDetection role,
        @Doc("Version detection; needed for the version check and for resume.") VersionDetection version) {

    public static final Discovery NONE = new Discovery(null, null);
}
