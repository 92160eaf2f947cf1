package io.haupgrade.embedded;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The demo application of one node: an HTTP server on 127.0.0.1 (ephemeral port) driven by files in the node's
 * directory, so shell commands over SSH upgrade, stop and start it as they would a real service:
 * <ul>
 *   <li>{@code <nodeDir>/app/version}: the version it serves ({@code unknown} while absent);</li>
 *   <li>{@code <nodeDir>/app/state}: {@code running} answers 200; anything else ({@code stopped},
 *       {@code starting}) answers 503 naming the state. Absent means running.</li>
 * </ul>
 * Every answer carries {@code X-Node} and {@code X-Version} headers and a one-line body. Files are re-read only when
 * they change.
 */
public final class VersionedHttpService implements AutoCloseable {

    public static final String NODE_HEADER = "X-Node";
    public static final String VERSION_HEADER = "X-Version";

    private final String node;
    private final Path nodeDir;
    private final WatchedFile version;
    private final WatchedFile state;
    private final HttpServer server;
    private final ExecutorService executor;
    private final AtomicLong requests = new AtomicLong();

    private VersionedHttpService(String node, Path nodeDir) throws IOException {
        this.node = node;
        this.nodeDir = nodeDir;
        this.version = new WatchedFile(nodeDir.resolve("app").resolve("version"), "unknown");
        this.state = new WatchedFile(nodeDir.resolve("app").resolve("state"), "running");
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        this.executor = Executors.newFixedThreadPool(4, Daemons.named("versioned-http " + node));
        server.setExecutor(executor);
        server.createContext("/", this::answer);
    }

    /** Starts the service of {@code node} driven by the files under {@code nodeDir}. */
    public static VersionedHttpService start(String node, Path nodeDir) {
        try {
            VersionedHttpService service = new VersionedHttpService(node, nodeDir);
            service.server.start();
            return service;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the HTTP service of node " + node + " on 127.0.0.1: "
                    + e.getMessage(), e);
        }
    }

    private void answer(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        try (exchange) {
            String served = version.value();
            String now = state.value();
            boolean running = "running".equalsIgnoreCase(now);
            byte[] body = (running ? node + " " + served + "\n" : node + " " + served + " is " + now + "\n")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set(NODE_HEADER, node);
            exchange.getResponseHeaders().set(VERSION_HEADER, served);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            boolean head = "HEAD".equalsIgnoreCase(exchange.getRequestMethod());
            exchange.sendResponseHeaders(running ? 200 : 503, head ? -1 : body.length);
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }

    public String node() {
        return node;
    }

    public Path nodeDir() {
        return nodeDir;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:<port>/} */
    public String url() {
        return "http://127.0.0.1:" + port() + "/";
    }

    /** Requests answered so far, whatever the answer. */
    public long requests() {
        return requests.get();
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
