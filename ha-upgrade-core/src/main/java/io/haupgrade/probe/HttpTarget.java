package io.haupgrade.probe;

import java.io.IOException;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.MalformedURLException;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * A GET on a fresh connection per probe, as a new client would make: a refused connection or a VIP that moved shows
 * up at once instead of hiding behind a kept-alive socket. No proxy, no redirects followed: 2xx and 3xx count as
 * answers, 4xx, 5xx, refused, reset and timeouts as failures. HttpURLConnection is used rather than HttpClient because
 * it is synchronous, costs no selector thread, and closes the socket on {@code disconnect()}, which is what keeps one
 * probe in flight and nothing pooled.
 */
public final class HttpTarget implements ProbeTarget {

    private final URL url;
    private final String described;
    private final String authorization;
    private final String backendHeader;
    private final String versionHeader;

    HttpTarget(URI uri, String backendHeader, String versionHeader) {
        this.described = mask(uri.toString());
        this.authorization = uri.getRawUserInfo() == null ? null : "Basic " + Base64.getEncoder()
                .encodeToString(uri.getUserInfo().getBytes(StandardCharsets.UTF_8));
        try {
            this.url = new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(),
                    uri.getPath() == null || uri.getPath().isEmpty() ? "/" : uri.getPath(), uri.getQuery(), null)
                    .toURL();
        } catch (URISyntaxException | MalformedURLException e) {
            throw new IllegalArgumentException("probe.url '" + described + "' is not a usable URL: " + e.getMessage(), e);
        }
        this.backendHeader = blankToNull(backendHeader);
        this.versionHeader = blankToNull(versionHeader);
    }

    @Override
    public Sample probe(Duration timeout) {
        long started = System.nanoTime();
        int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        HttpURLConnection connection = null;
        try {
            connection = (HttpURLConnection) url.openConnection(Proxy.NO_PROXY);
            connection.setConnectTimeout(millis);
            connection.setReadTimeout(millis);
            connection.setInstanceFollowRedirects(false);
            connection.setUseCaches(false);
            connection.setRequestProperty("User-Agent", "ha-upgrade-probe");
            if (authorization != null) {
                connection.setRequestProperty("Authorization", authorization);
            }
            int status = connection.getResponseCode();
            long tookMillis = (System.nanoTime() - started) / 1_000_000;
            if (tookMillis > millis) {
                return Sample.failed("answered after " + tookMillis + " ms, timeout " + millis + " ms");
            }
            if (status < 200 || status > 399) {
                return Sample.failed("HTTP " + status);
            }
            return Sample.ok(header(connection, backendHeader), header(connection, versionHeader));
        } catch (SocketTimeoutException e) {
            return Sample.failed("timeout after " + millis + " ms");
        } catch (ConnectException e) {
            return Sample.failed("connect: " + e.getMessage());
        } catch (IOException e) {
            return Sample.failed(e.getClass().getSimpleName() + ": " + e.getMessage());
        } finally {
            if (connection != null) {
                // Closes the socket: the body is not read, so the connection is never kept alive for the next probe.
                connection.disconnect();
            }
        }
    }

    @Override
    public String describe() {
        return described;
    }

    private static String header(HttpURLConnection connection, String name) {
        return name == null ? null : connection.getHeaderField(name);
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }

    /** The URL without its password, for messages and reports. */
    static String mask(String url) {
        return url.replaceFirst("^([a-zA-Z][a-zA-Z0-9+.-]*://)[^/@]*@", "$1***@");
    }
}
