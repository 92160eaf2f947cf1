package io.haupgrade.execute;

import io.haupgrade.health.GateResult;
import io.haupgrade.health.GateScope;
import io.haupgrade.health.HealthGate;
import io.haupgrade.health.Rendering;
import io.haupgrade.spec.ClusterSpec;
import io.haupgrade.spec.Membership;
import io.haupgrade.spec.NodeSpec;
import io.haupgrade.spec.Variables;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The health gate on its own, outside a rollout: {@code ha-upgrade gate FILE} and the {@code clusterHealthGate}
 * pipeline step. All checks on all member nodes in parallel, the cluster checks and rules, until green or timeout.
 */
public final class ClusterGate implements AutoCloseable {
    private final ClusterSpec spec;
    private final NodeSessions sessions;
    private final ExecutorService pool;
    private final HealthGate gate;
    private final Variables base;

    public ClusterGate(ClusterSpec spec, NodeSessions sessions, Clock clock) {
        this.spec = spec;
        this.sessions = sessions;
        this.pool = Executors.newFixedThreadPool(Math.max(1, Math.min(spec.ssh().parallelism(), spec.nodes().size() + 1)),
                r -> {
                    Thread t = new Thread(r, "ha-upgrade-gate-" + spec.name());
                    t.setDaemon(true);
                    return t;
                });
        Variables v = Variables.forCluster(spec);
        this.base = v;
        Remote remote = new Remote(spec, sessions, RunListener.NONE, clock);
        this.gate = new HealthGate(spec, remote.checkRunner(this::varsFor), rendering(), pool, clock);
    }

    /**
     * Waits until the cluster is healthy or {@code timeout} passes, checking every {@code interval}; null values
     * mean the spec's health.interval and health.timeout. Every attempt goes to {@code attempts}.
     */
    public GateResult await(Duration interval, Duration timeout, Consumer<GateResult> attempts, BooleanSupplier cancelled)
            throws InterruptedException {
        List<String> members = spec.nodes().stream().filter(n -> n.membership() == Membership.MEMBER)
                .map(NodeSpec::name).toList();
        return gate.awaitHealthy(new GateScope(members, Set.of(), Map.of(), true),
                interval != null ? interval : spec.health().interval(),
                timeout != null ? timeout : spec.health().timeout(), attempts, cancelled);
    }

    @Override
    public void close() {
        pool.shutdownNow();
        sessions.close();
    }

    private Variables varsFor(String node) {
        return node == null ? base : base.withNode(spec.node(node), null);
    }

    private Rendering rendering() {
        return Rendering.of(spec, this::varsFor);
    }
}
