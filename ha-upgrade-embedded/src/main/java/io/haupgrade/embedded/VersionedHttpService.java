package io.haupgrade.embedded;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The demo application of one node: an HTTP server on 127.0.0.1 (ephemeral port) driven by files in the node's
 * directory, so shell commands over SSH upgrade, stop and start it as they would a real service:
 * <ul>
 *   <li>{@code <nodeDir>/app/version}: the version it serves ({@code unknown} while absent);</li>
 *   <li>{@code <nodeDir>/app/state}: {@code running} answers 200; anything else ({@code stopped},
 *       {@code starting}) answers 503 naming the state. Absent means running.</li>
 * </ul>
 * Every answer carries {@code X-Node} and {@code X-Version} headers and a one-line body, for any path. Files are
 * re-read only when they change.
 */
public final class VersionedHttpService implements AutoCloseable {

    public static final String NODE_HEADER = "X-Node";
    public static final String VERSION_HEADER = "X-Version";

    private final String node;
    private final Path nodeDir;
    private final WatchedFile version;
    private final WatchedFile state;
    private final AtomicLong requests = new AtomicLong();
    private final LoopbackHttpServer server;

    private VersionedHttpService(String node, Path nodeDir) {
        this.node = node;
        this.nodeDir = nodeDir;
        this.version = new WatchedFile(nodeDir.resolve("app").resolve("version"), "unknown");
        this.state = new WatchedFile(nodeDir.resolve("app").resolve("state"), "running");
        this.server = LoopbackHttpServer.start("versioned-http " + node, request -> answer());
    }

    /** Starts the service of {@code node} driven by the files under {@code nodeDir}. */
    public static VersionedHttpService start(String node, Path nodeDir) {
        return new VersionedHttpService(node, nodeDir);
    }

    private LoopbackHttpServer.Response answer() {
        requests.incrementAndGet();
        String served = version.value();
        String now = state.value();
        boolean running = "running".equalsIgnoreCase(now);
        return LoopbackHttpServer.Response.text(running ? 200 : 503,
                Map.of(NODE_HEADER, node, VERSION_HEADER, served),
                running ? node + " " + served + "\n" : node + " " + served + " is " + now + "\n");
    }

    public String node() {
        return node;
    }

    public Path nodeDir() {
        return nodeDir;
    }

    public int port() {
        return server.port();
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
        server.close();
    }
}
