package io.haupgrade.execute;

import static org.assertj.core.api.Assertions.assertThat;

import io.haupgrade.embedded.EmbeddedSshNode;
import io.haupgrade.embedded.VersionedHttpService;
import io.haupgrade.embedded.VirtualEndpoint;
import io.haupgrade.spec.ClusterSpec;
import io.haupgrade.spec.SpecLoader;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service probe during a run: each node serves HTTP, a virtual endpoint follows the MASTER role file like a VIP,
 * and the probe measures it from the start of the run to its end.
 */
@Timeout(60)
class ProbeTest {
    @TempDir
    Path tmp;
    SimCluster sim;
    final List<VersionedHttpService> services = new ArrayList<>();
    VirtualEndpoint vip;

    @BeforeEach
    void start() throws Exception {
        sim = SimCluster.start(tmp.resolve("nodes"), 3);
        for (EmbeddedSshNode node : sim.nodes()) {
            services.add(VersionedHttpService.start(node.name(), node.dir()));
        }
        vip = VirtualEndpoint.following(services);
    }

    @AfterEach
    void stop() {
        vip.close();
        services.forEach(VersionedHttpService::close);
        sim.close();
    }

    private ClusterSpec spec(String policy, String switchover) throws Exception {
        String yaml = sim.specYaml(policy, "probe:\n  url: " + vip.url() + "\n  interval: 20ms\n  timeout: 200ms\n"
                + "  maxDowntime: 150ms\n  backendHeader: X-Node\n");
        if (switchover != null) {
            yaml = yaml.replace("echo BACKUP > role; echo MASTER > ../${peer.name}/role", switchover);
        }
        return SpecLoader.parse(yaml, "sim.yaml");
    }

    @Test
    void approvalCarriesTheDowntimeSoFarAndTheReportHasTheMeasurement() throws Exception {
        ClusterSpec spec = spec("approvals:\n  at: [before-switchover]\n", null);
        List<ApprovalRequest> asked = new ArrayList<>();
        StepOutcome.Finished done;
        try (Rollout rollout = Rollout.start(sim.request(spec, tmp.resolve("run")), sim.context(spec))) {
            done = new RolloutRunner(rollout, request -> {
                asked.add(request);
                return Optional.of(ApprovalDecision.of(request.id(), ApprovalDecision.Answer.PROCEED, "bob",
                        Instant.now(), null));
            }, Clock.systemUTC()).run();
        }
        assertThat(done.status()).as(done.stoppedAt()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(asked).singleElement().satisfies(r -> assertThat(r.evidence().downtimeSoFar()).isNotNull());
        assertThat(done.report().probe()).isNotNull();
        assertThat(done.report().probe().sent()).isGreaterThan(10);
        assertThat(done.report().probe().budgetExceeded()).isFalse();
        assertThat(done.report().probe().backends()).extracting(b -> b.backend()).contains("n1", "n2");
    }

    @Test
    void downtimeOverTheBudgetFailsTheRunAndNoFurtherNodeIsTouched() throws Exception {
        // A clumsy switchover: the old master steps down and nobody is master for 600 ms.
        ClusterSpec spec = spec("onFailure: abort", "echo BACKUP > role; sleep 0.6; echo MASTER > ../${peer.name}/role");
        StepOutcome.Finished done;
        try (Rollout rollout = Rollout.start(sim.request(spec, tmp.resolve("run")), sim.context(spec))) {
            done = new RolloutRunner(rollout, Approvers.refuseAll("x", Clock.systemUTC()), Clock.systemUTC()).run();
        }
        assertThat(done.status()).isEqualTo(RunStatus.FAILED);
        assertThat(done.stoppedAt()).contains("downtime").contains("maxDowntime");
        assertThat(sim.log("n1")).containsExactly("switchover");
        assertThat(done.report().probe().budgetExceeded()).isTrue();
        assertThat(done.report().probe().totalDowntime()).isGreaterThan(Duration.ofMillis(150));
        assertThat(done.report().probe().outages()).anySatisfy(o -> assertThat(o.activities().toString())
                .contains("switchover"));
        Invariants.check(sim, 1, done.report());
    }
}
