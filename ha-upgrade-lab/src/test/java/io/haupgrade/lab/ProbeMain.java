package io.haupgrade.lab;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The lab's probe, run in the client namespace by {@link LabProbe}: one HTTP/1.0 GET on a fresh connection every
 * interval, each bounded by the timeout, one {@link ProbeSample} per request as a JSON line on standard output.
 * It stops after the longest run, or with {@code --stop-on-eof} as soon as its standard input closes (its parent
 * stopped it or died).
 *
 * <p>Arguments: URL INTERVAL_MS TIMEOUT_MS MAX_SECONDS [--stop-on-eof].
 */
public final class ProbeMain {
    static final String STOP_ON_EOF = "--stop-on-eof";
    private static final int MAX_RESPONSE = 64 * 1024;

    private ProbeMain() {
    }

    public static void main(String[] args) throws Exception {
        boolean stopOnEof = args.length == 5 && args[4].equals(STOP_ON_EOF);
        if (args.length != 4 && !stopOnEof) {
            throw new IllegalArgumentException("usage: ProbeMain URL INTERVAL_MS TIMEOUT_MS MAX_SECONDS [" + STOP_ON_EOF + "]");
        }
        URI url = URI.create(args[0]);
        long intervalNanos = TimeUnit.MILLISECONDS.toNanos(Long.parseLong(args[1]));
        int timeoutMillis = Integer.parseInt(args[2]);
        long maxNanos = TimeUnit.SECONDS.toNanos(Long.parseLong(args[3]));
        var address = new InetSocketAddress(url.getHost(), url.getPort() < 0 ? 80 : url.getPort());
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        byte[] request = ("GET " + path + " HTTP/1.0\r\nHost: " + url.getHost() + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);

        var stopped = new java.util.concurrent.atomic.AtomicBoolean();
        Thread stdinWatcher = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // Any input is ignored; end of input stops the probe.
                }
            } catch (IOException e) {
                // The parent is gone: stop.
            }
            stopped.set(true);
        }, "stdin-watcher");
        stdinWatcher.setDaemon(true);
        if (stopOnEof) {
            stdinWatcher.start();
        }

        var mapper = new ObjectMapper();
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false,
                StandardCharsets.UTF_8);
        long start = System.nanoTime();
        long next = start;
        for (long seq = 0; !stopped.get() && System.nanoTime() - start < maxNanos; seq++) {
            long begin = System.nanoTime();
            ProbeSample sample = probe(seq, address, request, timeoutMillis, start, begin);
            out.println(mapper.writeValueAsString(sample));
            out.flush();
            next += intervalNanos;
            long now = System.nanoTime();
            if (next < now) {
                next = now; // A slow request delays the next one; the probe never bursts to catch up.
            }
            LockSupport.parkNanos(next - now);
        }
        out.flush();
    }

    private static ProbeSample probe(long seq, InetSocketAddress address, byte[] request, int timeoutMillis,
            long probeStart, long begin) {
        double atMs = (begin - probeStart) / 1e6;
        long deadline = begin + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        try (Socket socket = new Socket()) {
            socket.setTcpNoDelay(true);
            socket.connect(address, timeoutMillis);
            OutputStream os = socket.getOutputStream();
            os.write(request);
            os.flush();
            String response = readAll(socket, deadline);
            double took = (System.nanoTime() - begin) / 1e6;
            int status = status(response);
            String node = header(response, "X-Node");
            String version = header(response, "X-Version");
            if (status != 200) {
                return new ProbeSample(seq, atMs, took, false, node, version, "status " + status);
            }
            return new ProbeSample(seq, atMs, took, true, node, version, null);
        } catch (IOException e) {
            double took = (System.nanoTime() - begin) / 1e6;
            String why = e instanceof SocketTimeoutException ? "timeout: " + e.getMessage()
                    : e.getClass().getSimpleName() + ": " + e.getMessage();
            return new ProbeSample(seq, atMs, took, false, null, null, why);
        }
    }

    private static String readAll(Socket socket, long deadline) throws IOException {
        InputStream in = socket.getInputStream();
        var buffer = new ByteArrayOutputStream();
        byte[] chunk = new byte[4096];
        while (buffer.size() < MAX_RESPONSE) {
            long remainingMillis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (remainingMillis <= 0) {
                throw new SocketTimeoutException("no complete response within the timeout");
            }
            socket.setSoTimeout((int) remainingMillis);
            int n = in.read(chunk);
            if (n < 0) {
                break;
            }
            buffer.write(chunk, 0, n);
        }
        return buffer.toString(StandardCharsets.ISO_8859_1);
    }

    private static int status(String response) throws IOException {
        // "HTTP/1.0 200 OK"
        String[] statusLine = response.lines().findFirst().orElse("").split(" ");
        if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/")) {
            throw new IOException("not an HTTP response: " + response.lines().findFirst().orElse("(empty)"));
        }
        return Integer.parseInt(statusLine[1]);
    }

    private static String header(String response, String name) {
        String prefix = name.toLowerCase() + ":";
        return response.lines().takeWhile(l -> !l.isEmpty())
                .filter(l -> l.toLowerCase().startsWith(prefix))
                .map(l -> l.substring(prefix.length()).strip()).findFirst().orElse(null);
    }
}
