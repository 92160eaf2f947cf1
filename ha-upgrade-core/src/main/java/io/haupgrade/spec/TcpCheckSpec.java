package io.haupgrade.spec;

/** A health check that opens a TCP connection from the machine that runs the upgrade. */
@Doc("Opens a TCP connection from the machine that runs the upgrade; healthy when it connects.")
public record TcpCheckSpec(
        @Doc("Host to connect to. Default: ${node.host}.") String host,
        @Required @Doc(value = "Port to connect to.", example = "5432") Integer port,
        @Doc("Connect timeout. Default: 3s.") java.time.Duration timeout) {

    public TcpCheckSpec {
        host = host == null ? "${node.host}" : host;
        timeout = timeout == null ? java.time.Duration.ofSeconds(3) : timeout;
    }
}
