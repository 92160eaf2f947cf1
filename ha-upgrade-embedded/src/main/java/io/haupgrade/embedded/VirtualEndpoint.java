package io.haupgrade.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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
    private final LoopbackHttpServer server;

    private VirtualEndpoint(List<Backend> backends, Duration forwardTimeout) {
        this.backends = backends.stream()
                .map(b -> new Watched(b, new WatchedFile(b.nodeDir().resolve("role"), "")))
                .toList();
        this.forwardTimeout = forwardTimeout;
        this.server = LoopbackHttpServer.start("virtual-endpoint", this::forward);
    }

    /** Starts an endpoint in front of {@code backends}; a forwarded request gives up after {@code forwardTimeout}. */
    public static VirtualEndpoint start(List<Backend> backends, Duration forwardTimeout) {
        if (backends.isEmpty()) {
            throw new IllegalArgumentException("a virtual endpoint needs at least one backend");
        }
        return new VirtualEndpoint(List.copyOf(backends), forwardTimeout);
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

    private LoopbackHttpServer.Response forward(LoopbackHttpServer.Request request) {
        if (!request.target().startsWith("/")) {
            return LoopbackHttpServer.Response.text(400, Map.of(), "only origin-form targets (/path) are forwarded\n");
        }
        Optional<Backend> master = currentMaster();
        if (master.isEmpty()) {
            return LoopbackHttpServer.Response.text(503, Map.of(), "no node is MASTER\n");
        }
        Backend backend = master.get();
        try {
            LoopbackHttpServer.Response answer = ask(backend, request);
            Map<String, String> headers = new LinkedHashMap<>(answer.headers());
            headers.put(VIA_HEADER, backend.node());
            return new LoopbackHttpServer.Response(answer.status(), headers, answer.body());
        } catch (IOException e) {
            return LoopbackHttpServer.Response.text(502, Map.of(VIA_HEADER, backend.node()),
                    "master " + backend.node() + " does not answer: " + e.getMessage() + "\n");
        }
    }

    private LoopbackHttpServer.Response ask(Backend backend, LoopbackHttpServer.Request request) throws IOException {
        URI target = backend.service().resolve(request.target());
        HttpURLConnection connection = (HttpURLConnection) target.toURL().openConnection(Proxy.NO_PROXY);
        try {
            int millis = (int) forwardTimeout.toMillis();
            connection.setConnectTimeout(millis);
            connection.setReadTimeout(millis);
            connection.setInstanceFollowRedirects(false);
            connection.setRequestMethod(request.method());
            int status = connection.getResponseCode();
            byte[] body = readAll(status >= 400 ? connection.getErrorStream() : connection.getInputStream());
            Map<String, String> headers = new LinkedHashMap<>();
            connection.getHeaderFields().forEach((name, values) -> {
                if (name != null && !HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                    headers.put(name, String.join(", ", values));
                }
            });
            return new LoopbackHttpServer.Response(status, headers, body);
        } finally {
            connection.disconnect();
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

    public int port() {
        return server.port();
    }

    /** {@code http://127.0.0.1:<port>/} */
    public String url() {
        return "http://127.0.0.1:" + port() + "/";
    }

    @Override
    public void close() {
        server.close();
    }
}
