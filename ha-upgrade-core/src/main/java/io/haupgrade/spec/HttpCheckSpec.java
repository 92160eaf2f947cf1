package io.haupgrade.spec;

/** A health check over HTTP(S), made from the machine that runs the upgrade. */
@Doc("An HTTP(S) request made from the machine that runs the upgrade; healthy on the expected status and body.")
public record HttpCheckSpec(
        @Required @Shorthand @Doc(value = "The URL; ${node.host} and other variables are substituted (URL-encoded).",
                example = "http://${node.host}:8080/health")
        String url,
        @Doc("Expected status. Default: 200.") Integer status,
        @Doc(value = "Regular expression the body must contain.", example = "\"status\":\"UP\"") String bodyMatches,
        @Doc("Request timeout. Default: 5s.") java.time.Duration timeout,
        @Doc("PEM file of a CA to trust in addition to the system's, for self-signed services.") String caFile) {

    public HttpCheckSpec {
        status = status == null ? 200 : status;
        timeout = timeout == null ? java.time.Duration.ofSeconds(5) : timeout;
    }
}
