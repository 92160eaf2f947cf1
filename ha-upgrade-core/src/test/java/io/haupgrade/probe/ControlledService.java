package io.haupgrade.probe;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** A real HTTP server on loopback whose answers the test switches: status, delay, backend and version headers. */
final class ControlledService implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final AtomicLong requests = new AtomicLong();
    private volatile int status = 200;
    private volatile long delayMillis;
    private volatile String backend = "n1";
    private volatile String version = "1.0";

    ControlledService() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            try {
                long delay = delayMillis;
                if (delay > 0) {
                    Thread.sleep(delay);
                }
                byte[] body = "ok\n".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("X-Node", backend);
                exchange.getResponseHeaders().add("X-Version", version);
                if (status / 100 == 3) {
                    exchange.getResponseHeaders().add("Location", "/elsewhere");
                }
                exchange.sendResponseHeaders(status, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException clientGone) {
                // The probe gave up (timeout) and closed the connection.
            } finally {
                exchange.close();
            }
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/health";
    }

    void status(int code) {
        status = code;
    }

    void delay(long millis) {
        delayMillis = millis;
    }

    void serves(String node, String ver) {
        backend = node;
        version = ver;
    }

    long requests() {
        return requests.get();
    }

    @Override
    public void close() throws InterruptedException {
        server.stop(0);
        executor.shutdownNow();
        executor.awaitTermination(5, TimeUnit.SECONDS);
    }
}
