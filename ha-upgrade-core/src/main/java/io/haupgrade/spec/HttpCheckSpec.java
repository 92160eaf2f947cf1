package io.haupgrade.spec;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** A health check over HTTP(S), made from the machine that runs the upgrade. */
@Doc("An HTTP(S) request made from the machine that runs the upgrade; healthy on the expected status and body.")
public record HttpCheckSpec(
        @Required @Shorthand @Doc(value = "The URL; ${node.host} and other variables are substituted (URL-encoded).",
                example = "http://${node.host}:8080/health")
        String url,
        @Doc("Expected status. Default: 200.") Integer status,
        @Doc(value = "Regular expression the body must contain.", example = "\"status\":\"UP\"") String bodyMatches,
        @Doc(value = "Response headers that must have exactly these values; variables are substituted in names and "
                + "values, so {X-Node: ${primary.name}} requires the answer to come from the primary (a VIP answered "
                + "by another node than its holder is a split or a stale ARP cache).",
                example = "{X-Node: ${primary.name}}")
        Map<String, String> headers,
        @Doc("Request timeout. Default: 5s.") java.time.Duration timeout,
        @Doc("PEM file of a CA to trust in addition to the system's, for self-signed services.") String caFile) {

    public HttpCheckSpec {
        status = status == null ? 200 : status;
        headers = headers == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        timeout = timeout == null ? java.time.Duration.ofSeconds(5) : timeout;
    }
}
