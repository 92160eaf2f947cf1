package io.haupgrade.spec;

/** The size of a version change, by the first component that differs (major.minor.patch). */
@Doc("The size of a version change: the first of major.minor.patch that differs.")
public enum VersionJump {
    @Doc("The first component differs (5.x to 6.x).")
    MAJOR,
    @Doc("The second component differs (6.0 to 6.1).")
    MINOR,
    @Doc("Only later components differ (6.1.1 to 6.1.2).")
    PATCH
}
