package io.haupgrade.spec;

/** How to read the version a node runs. */
@Doc("How to read the version a node runs.")
public record VersionDetection(
        @Required @Doc(value = "Prints the version.", example = "cat /opt/app/VERSION") CommandSpec command,
        @Doc(value = "Regular expression whose first group is the version; default: the whole output, trimmed.",
                example = "version (\\\\S+)")
        String pattern) {
}
