package io.haupgrade.probe;

import io.haupgrade.spec.ServiceProbe;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;

/** One way of asking a service whether it answers: an HTTP request or a TCP connect. */
public interface ProbeTarget {

    /** Asks once; never takes much longer than {@code timeout} and never throws for a service that is down. */
    Sample probe(Duration timeout);

    /** The target for messages and the report, credentials masked. */
    String describe();

    /** The target a spec names: {@code http://}, {@code https://} or {@code tcp://host:port}. */
    static ProbeTarget of(ServiceProbe spec) {
        String url = spec.url();
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("probe.url is empty; hint: http://VIP/health or tcp://VIP:5432");
        }
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("probe.url '" + HttpTarget.mask(url) + "' is not a URL: "
                    + e.getReason() + "; hint: http://VIP/health or tcp://VIP:5432", e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("probe.url '" + HttpTarget.mask(url)
                    + "' names no host; hint: http://VIP/health or tcp://VIP:5432");
        }
        return switch (scheme) {
            case "http", "https" -> new HttpTarget(uri, spec.backendHeader(), spec.versionHeader());
            case "tcp" -> {
                if (uri.getPort() < 0) {
                    throw new IllegalArgumentException("probe.url '" + HttpTarget.mask(url)
                            + "' names no port; hint: tcp://VIP:5432");
                }
                yield new TcpTarget(uri.getHost(), uri.getPort());
            }
            default -> throw new IllegalArgumentException("probe.url '" + HttpTarget.mask(url)
                    + "': scheme must be http, https or tcp; hint: http://VIP/health or tcp://VIP:5432");
        };
    }
}
