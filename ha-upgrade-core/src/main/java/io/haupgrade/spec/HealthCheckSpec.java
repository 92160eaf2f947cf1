package io.haupgrade.spec;

/** One named health check; exactly one of command, http, tcp or version is written. */
@Doc("One named health check: exactly one of command, http, tcp or version.")
public record HealthCheckSpec(
        @Required @Doc(value = "Name shown in gate results and reports.", example = "service") String name,
        @Doc("Check by a command.") CommandCheckSpec command,
        @Doc("Check by an HTTP(S) request.") HttpCheckSpec http,
        @Doc("Check by a TCP connection.") TcpCheckSpec tcp,
        @Doc("Check that the node runs the target version (needs discovery.version); only after the node is upgraded.")
        Boolean version) {

    public HealthCheckSpec {
        version = version != null && version;
    }
}
