package io.haupgrade.health;

import io.haupgrade.spec.TcpCheckSpec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/** Healthy when a TCP connection from this machine to the host and port succeeds within the timeout. */
public final class TcpCheck implements HealthCheck {
    private final String name;
    private final TcpCheckSpec spec;
    private final Rendering rendering;

    public TcpCheck(String name, TcpCheckSpec spec, Rendering rendering) {
        this.name = name;
        this.spec = spec;
        this.rendering = rendering;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public CheckResult check(String node, ClusterView view) {
        String host = rendering.seeing(view).text(spec.host(), node);
        String where = host + ":" + spec.port();
        long start = System.nanoTime();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, spec.port()), (int) spec.timeout().toMillis());
            return CheckResult.pass(node, name, where + " accepts connections", Duration.ofNanos(System.nanoTime() - start));
        } catch (IOException e) {
            return CheckResult.fail(node, name, where + ": " + e.getMessage(), Duration.ofNanos(System.nanoTime() - start));
        }
    }
}
