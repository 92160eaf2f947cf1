package io.haupgrade.spec;

/** Commands that read the live state of the cluster before each node. */
@Doc("Commands that read the live state of the cluster: roles and versions. Run before every node.")
public record Discovery(
        @Doc("Role detection; without it, declared node roles are used.") RoleDetection role,
        @Doc("Version detection; needed for the version check and for resume.") VersionDetection version,
        @Doc(value = "Prints an id that changes with every boot of the node: read before a reboot phase, the reboot "
                + "is over when SSH answers with another id (a node still shutting down answers with the old one). "
                + "Default: cat /proc/sys/kernel/random/boot_id.", example = "cat /proc/sys/kernel/random/boot_id")
        String bootId) {

    public static final String LINUX_BOOT_ID = "cat /proc/sys/kernel/random/boot_id";
    public static final Discovery NONE = new Discovery(null, null, null);

    public Discovery {
        bootId = bootId == null || bootId.isBlank() ? LINUX_BOOT_ID : bootId;
    }
}
