package io.haupgrade.embedded;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A minimal HTTP/1.1 server on 127.0.0.1 for the embedded services: one request per connection, the whole answer
 * written at once with TCP_NODELAY. The JDK's {@code com.sun.net.httpserver} sends headers and body as two small
 * writes without TCP_NODELAY, so a client that reads the body waits ~40 ms for a delayed ACK on every request;
 * through the virtual endpoint that turned a 1 ms answer into 50 ms and, on a loaded machine, into probe timeouts.
 */
final class LoopbackHttpServer implements AutoCloseable {

    private static final int MAX_HEAD_BYTES = 16 * 1024;
    private static final int READ_TIMEOUT_MILLIS = 5000;
    /** CR LF CR LF as the last four bytes read. */
    private static final int END_OF_HEAD = 0x0D0A0D0A;

    /** The request line of one request. */
    record Request(String method, String target) {
    }

    /** One answer; {@code Content-Length} and {@code Connection: close} are added when written. */
    record Response(int status, Map<String, String> headers, byte[] body) {

        static Response text(int status, Map<String, String> headers, String body) {
            Map<String, String> all = new LinkedHashMap<>(headers);
            all.put("Content-Type", "text/plain; charset=utf-8");
            return new Response(status, all, body.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Answers one request; what it throws becomes a 500 naming the exception. */
    interface Handler {
        Response handle(Request request) throws IOException;
    }

    private final ServerSocket socket;
    private final Handler handler;
    private final ExecutorService workers;
    private final Thread acceptor;
    private volatile boolean closed;

    private LoopbackHttpServer(String name, Handler handler) throws IOException {
        this.socket = new ServerSocket();
        this.socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        this.handler = handler;
        this.workers = Executors.newFixedThreadPool(8, Daemons.named(name));
        this.acceptor = Daemons.named(name + " accept").newThread(this::acceptLoop);
    }

    static LoopbackHttpServer start(String name, Handler handler) {
        try {
            LoopbackHttpServer server = new LoopbackHttpServer(name, handler);
            server.acceptor.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1 for " + name + ": " + e.getMessage(), e);
        }
    }

    int port() {
        return socket.getLocalPort();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket connection;
            try {
                connection = socket.accept();
            } catch (IOException e) {
                // Closed by close(), or a transient failure (out of file descriptors): do not spin on it.
                pause();
                continue;
            }
            try {
                workers.execute(() -> serve(connection));
            } catch (RejectedExecutionException e) {
                closeQuietly(connection);
            }
        }
    }

    private void serve(Socket connection) {
        try (connection) {
            connection.setTcpNoDelay(true);
            connection.setSoTimeout(READ_TIMEOUT_MILLIS);
            Request request = readRequest(new BufferedInputStream(connection.getInputStream()));
            if (request == null) {
                return;
            }
            Response response;
            try {
                response = handler.handle(request);
            } catch (IOException | RuntimeException e) {
                response = Response.text(500, Map.of(), "internal error: " + e + "\n");
            }
            write(connection.getOutputStream(), response, "HEAD".equalsIgnoreCase(request.method()));
        } catch (IOException e) {
            // The client went away or sent garbage; nothing to answer.
        }
    }

    /** The request line, after reading the whole head; null when the client sent no complete head. */
    private static Request readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream(256);
        int lastFour = 0;
        while (lastFour != END_OF_HEAD) {
            int b = in.read();
            if (b < 0 || head.size() >= MAX_HEAD_BYTES) {
                return null;
            }
            head.write(b);
            lastFour = (lastFour << 8) | b;
        }
        String requestLine = head.toString(StandardCharsets.ISO_8859_1).lines().findFirst().orElse("");
        String[] parts = requestLine.split(" ");
        return parts.length < 2 ? null : new Request(parts[0], parts[1]);
    }

    private static void write(OutputStream out, Response response, boolean head) throws IOException {
        StringBuilder text = new StringBuilder(256).append("HTTP/1.1 ").append(response.status()).append(' ')
                .append(reason(response.status())).append("\r\n");
        response.headers().forEach((name, value) -> text.append(name).append(": ").append(value).append("\r\n"));
        text.append("Content-Length: ").append(response.body().length).append("\r\nConnection: close\r\n\r\n");
        byte[] headBytes = text.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[headBytes.length + (head ? 0 : response.body().length)];
        System.arraycopy(headBytes, 0, all, 0, headBytes.length);
        if (!head) {
            System.arraycopy(response.body(), 0, all, headBytes.length, response.body().length);
        }
        out.write(all);
        out.flush();
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            default -> "Status " + status;
        };
    }

    private static void pause() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(Socket connection) {
        try {
            connection.close();
        } catch (IOException e) {
            // Already gone.
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            socket.close();
        } catch (IOException e) {
            // Closing a listening socket fails only if it is already closed.
        }
        workers.shutdownNow();
        try {
            acceptor.join(2000);
            workers.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
