package io.haupgrade.embedded;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A virtual IP on 127.0.0.1: forwards each request to the node whose {@code <nodeDir>/role} file says
 * {@code MASTER}, as a keepalived VIP follows its master. A switchover done by shell commands
 * ({@code echo BACKUP > role} on one node, {@code echo MASTER > role} on another) moves the traffic.
 *
 * <p>No master: 503, an outage a probe must see. Two masters (the new one written before the old one stepped down):
 * the most recently written wins, like the last gratuitous ARP. A master whose service does not answer: 502.
 */
public final class VirtualEndpoint implements AutoCloseable {

    /** Names the node a request was forwarded to, on every forwarded answer. */
    public static final String VIA_HEADER = "X-Via";

    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "transfer-encoding",
            "content-length", "date", "te", "trailer", "upgrade", "proxy-authenticate", "proxy-authorization");

    /**
     * One node behind the endpoint.
     *
     * @param nodeDir the directory holding the node's {@code role} file
     * @param service where the node's service answers, e.g. {@code http://127.0.0.1:41234/}
     */
    public record Backend(String node, Path nodeDir, URI service) {
    }

    private record Watched(Backend backend, WatchedFile role) {
    }

    private final List<Watched> backends;
    private final Duration forwardTimeout;
    private final HttpServer server;
    private final ExecutorService executor;

    private VirtualEndpoint(List<Backend> backends, Duration forwardTimeout) throws IOException {
        this.backends = backends.stream()
                .map(b -> new Watched(b, new WatchedFile(b.nodeDir().resolve("role"), "")))
                .toList();
        this.forwardTimeout = forwardTimeout;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        this.executor = Executors.newFixedThreadPool(4, Daemons.named("virtual-endpoint"));
        server.setExecutor(executor);
        server.createContext("/", this::forward);
    }

    /** Starts an endpoint in front of {@code backends}; a forwarded request gives up after {@code forwardTimeout}. */
    public static VirtualEndpoint start(List<Backend> backends, Duration forwardTimeout) {
        if (backends.isEmpty()) {
            throw new IllegalArgumentException("a virtual endpoint needs at least one backend");
        }
        try {
            VirtualEndpoint endpoint = new VirtualEndpoint(List.copyOf(backends), forwardTimeout);
            endpoint.server.start();
            return endpoint;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the virtual endpoint on 127.0.0.1: " + e.getMessage(), e);
        }
    }

    /** An endpoint in front of the nodes' own services, their role files in their node directories; 2 s timeout. */
    public static VirtualEndpoint following(List<VersionedHttpService> services) {
        return start(services.stream()
                .map(s -> new Backend(s.node(), s.nodeDir(), URI.create(s.url())))
                .toList(), Duration.ofSeconds(2));
    }

    /** The node traffic goes to now: the master, the most recently written one if several say so. */
    public Optional<String> master() {
        return currentMaster().map(Backend::node);
    }

    private Optional<Backend> currentMaster() {
        Watched newest = null;
        for (Watched watched : backends) {
            if ("MASTER".equals(watched.role().value().toUpperCase(Locale.ROOT))
                    && (newest == null || watched.role().modified() > newest.role().modified())) {
                newest = watched;
            }
        }
        return Optional.ofNullable(newest).map(Watched::backend);
    }

    private record Answer(int status, Map<String, List<String>> headers, byte[] body) {
    }

    private void forward(HttpExchange exchange) throws IOException {
        try (exchange) {
            Optional<Backend> master = currentMaster();
            if (master.isEmpty()) {
                reply(exchange, 503, "no node is MASTER\n");
                return;
            }
            Backend backend = master.get();
            Answer answer;
            try {
                answer = ask(backend, exchange.getRequestMethod(), exchange.getRequestURI());
            } catch (IOException e) {
                reply(exchange, 502, "master " + backend.node() + " does not answer: " + e.getMessage() + "\n");
                return;
            }
            for (Map.Entry<String, List<String>> header : answer.headers().entrySet()) {
                if (header.getKey() != null && !HOP_BY_HOP.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                    exchange.getResponseHeaders().put(header.getKey(), header.getValue());
                }
            }
            exchange.getResponseHeaders().set(VIA_HEADER, backend.node());
            boolean noBody = "HEAD".equalsIgnoreCase(exchange.getRequestMethod()) || answer.body().length == 0;
            exchange.sendResponseHeaders(answer.status(), noBody ? -1 : answer.body().length);
            if (!noBody) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(answer.body());
                }
            }
        }
    }

    private Answer ask(Backend backend, String method, URI request) throws IOException {
        URI target = backend.service().resolve(request.getRawPath()
                + (request.getRawQuery() == null ? "" : "?" + request.getRawQuery()));
        HttpURLConnection connection = (HttpURLConnection) target.toURL().openConnection(Proxy.NO_PROXY);
        try {
            int millis = (int) forwardTimeout.toMillis();
            connection.setConnectTimeout(millis);
            connection.setReadTimeout(millis);
            connection.setInstanceFollowRedirects(false);
            connection.setRequestMethod(method);
            int status = connection.getResponseCode();
            byte[] body = readAll(status >= 400 ? connection.getErrorStream() : connection.getInputStream());
            return new Answer(status, connection.getHeaderFields(), body);
        } catch (IOException e) {
            // A failed exchange must not go back to the keep-alive pool.
            connection.disconnect();
            throw e;
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        if (in == null) {
            return new byte[0];
        }
        try (in) {
            return in.readNBytes(1 << 20);
        }
    }

    private static void reply(HttpExchange exchange, int status, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:<port>/} */
    public String url() {
        return "http://127.0.0.1:" + port() + "/";
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
