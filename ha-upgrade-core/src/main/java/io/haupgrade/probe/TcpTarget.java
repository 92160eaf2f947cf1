package io.haupgrade.probe;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

/** A TCP connect: an accepted connection is an answer. For services that do not speak HTTP (databases, etcd peers). */
public final class TcpTarget implements ProbeTarget {

    private final String host;
    private final int port;

    TcpTarget(String host, int port) {
        this.host = host;
        this.port = port;
    }

    @Override
    public Sample probe(Duration timeout) {
        int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), millis);
            return Sample.ok(null, null);
        } catch (SocketTimeoutException e) {
            return Sample.failed("timeout after " + millis + " ms");
        } catch (IOException e) {
            return Sample.failed("connect: " + e.getMessage());
        }
    }

    @Override
    public String describe() {
        return "tcp://" + host + ":" + port;
    }
}
