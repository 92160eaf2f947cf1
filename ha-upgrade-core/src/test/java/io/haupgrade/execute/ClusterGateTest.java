package io.haupgrade.execute;

import static org.assertj.core.api.Assertions.assertThat;

import io.haupgrade.health.CheckResult;
import io.haupgrade.health.GateResult;
import io.haupgrade.spec.ClusterSpec;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The gate on its own (the clusterHealthGate step): per node and per check, the cluster rules, waiting. */
@Timeout(30)
class ClusterGateTest {
    @TempDir
    Path tmp;
    SimCluster sim;
    ClusterSpec spec;

    @BeforeEach
    void start() throws Exception {
        sim = SimCluster.start(tmp.resolve("nodes"), 3);
        spec = sim.spec("", "");
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    @Test
    void greenGateListsEveryCheckOnEveryNodeWithRolesAndVersions() throws Exception {
        try (ClusterGate gate = new ClusterGate(spec, sim.sessions(spec), Clock.systemUTC())) {
            GateResult r = gate.await(null, Duration.ZERO, a -> { }, () -> false);

            assertThat(r.healthy()).isTrue();
            assertThat(r.byNode()).containsOnlyKeys("n1", "n2", "n3");
            assertThat(r.byNode().get("n2")).singleElement().satisfies(c -> {
                assertThat(c.check()).isEqualTo("service");
                assertThat(c.output()).isEqualTo("ok");
            });
            assertThat(r.roles()).containsEntry("n1", io.haupgrade.spec.Role.PRIMARY);
            assertThat(r.versions()).containsEntry("n3", SimCluster.FROM);
        }
    }

    @Test
    void twoPrimariesAndAnUnhealthyNodeAreRedWithTheLastOutputAndTheGateWaitsUntilTimeout() throws Exception {
        sim.write("n2", "role", "MASTER\n");
        sim.write("n3", "unhealthy", "");
        List<GateResult> attempts = new ArrayList<>();
        long start = System.nanoTime();
        try (ClusterGate gate = new ClusterGate(spec, sim.sessions(spec), Clock.systemUTC())) {
            GateResult r = gate.await(Duration.ofMillis(50), Duration.ofSeconds(3), attempts::add, () -> false);

            assertThat(r.healthy()).isFalse();
            assertThat(r.problems()).contains("2 primaries: [n1, n2]");
            assertThat(r.failed()).extracting(CheckResult::where).containsExactly("n3/service");
            assertThat(r.failed().get(0).output()).startsWith("exit 1");
            assertThat(r.summary()).contains("2 primaries").contains("n3/service");
        }
        assertThat(attempts.size()).isGreaterThan(1);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
    }

    @Test
    void unreachableNodeIsRedNotAHang() throws Exception {
        sim.node("n3").stop();
        try (ClusterGate gate = new ClusterGate(spec, sim.sessions(spec), Clock.systemUTC())) {
            GateResult r = gate.await(null, Duration.ZERO, a -> { }, () -> false);
            assertThat(r.healthy()).isFalse();
            assertThat(r.failed()).anySatisfy(c -> {
                assertThat(c.node()).isEqualTo("n3");
                assertThat(c.output()).contains("unreachable");
            });
        } finally {
            sim.node("n3").start();
        }
    }

    /** keepalived's "primary = VIP holder, checked by where the VIP answers": a header names the answering node. */
    @Test
    void aClusterHttpCheckCanRequireTheAnswerToComeFromThePrimary() throws Exception {
        List<io.haupgrade.embedded.VersionedHttpService> services = new ArrayList<>();
        try {
            for (var node : sim.nodes()) {
                services.add(io.haupgrade.embedded.VersionedHttpService.start(node.name(), node.dir()));
            }
            // n1 is the primary (its role file); the "VIP" is n1's service, then n2's, as after a split.
            for (int answering : new int[] {0, 1}) {
                String yaml = sim.specYaml("", "").replace("policy:\n", "  cluster:\n    - name: VIP from the primary\n"
                        + "      http:\n        url: " + services.get(answering).url() + "\n"
                        + "        headers: {X-Node: '${primary.name}'}\npolicy:\n");
                ClusterSpec checked = io.haupgrade.spec.SpecLoader.parse(yaml, "sim.yaml");
                try (ClusterGate gate = new ClusterGate(checked, sim.sessions(checked), Clock.systemUTC())) {
                    GateResult r = gate.await(null, Duration.ZERO, a -> { }, () -> false);
                    if (answering == 0) {
                        assertThat(r.healthy()).as(r.summary()).isTrue();
                    } else {
                        assertThat(r.healthy()).isFalse();
                        assertThat(r.summary()).contains("VIP from the primary")
                                .contains("answered with X-Node: n2, expected n1");
                    }
                }
            }
        } finally {
            services.forEach(io.haupgrade.embedded.VersionedHttpService::close);
        }
    }
}
