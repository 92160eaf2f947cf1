package io.haupgrade.health;

import io.haupgrade.spec.HttpCheckSpec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

/** Healthy when an HTTP request from this machine answers with the expected status, body and headers. */
public final class HttpCheck implements HealthCheck {
    private final String name;
    private final HttpCheckSpec spec;
    private final Rendering rendering;
    private final HttpClient client;

    public HttpCheck(String name, HttpCheckSpec spec, Rendering rendering, HttpClient client) {
        this.name = name;
        this.spec = spec;
        this.rendering = rendering;
        this.client = client;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public CheckResult check(String node, ClusterView view) {
        Rendering rendering = this.rendering.seeing(view);
        String url = rendering.url(spec.url(), node);
        long start = System.nanoTime();
        try {
            HttpResponse<String> response = client.send(
                    HttpRequest.newBuilder(URI.create(url)).timeout(spec.timeout()).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            String body = response.body();
            if (response.statusCode() != spec.status()) {
                return CheckResult.fail(node, name, url + " answered " + response.statusCode() + ", expected "
                        + spec.status() + ": " + body, elapsed);
            }
            if (spec.bodyMatches() != null && !Pattern.compile(spec.bodyMatches()).matcher(body).find()) {
                return CheckResult.fail(node, name, url + " body does not match /" + spec.bodyMatches() + "/: " + body,
                        elapsed);
            }
            for (Map.Entry<String, String> header : spec.headers().entrySet()) {
                String headerName = rendering.text(header.getKey(), node);
                String expected = rendering.text(header.getValue(), node);
                String actual = response.headers().firstValue(headerName).orElse(null);
                if (!expected.equals(actual)) {
                    return CheckResult.fail(node, name, url + " answered with " + headerName + ": "
                            + (actual == null ? "(none)" : actual) + ", expected " + expected, elapsed);
                }
            }
            return CheckResult.pass(node, name, url + " " + response.statusCode() + ": " + body, elapsed);
        } catch (IOException e) {
            return CheckResult.fail(node, name, url + ": " + e, Duration.ofNanos(System.nanoTime() - start));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CheckResult.fail(node, name, url + ": interrupted", Duration.ofNanos(System.nanoTime() - start));
        }
    }
}
