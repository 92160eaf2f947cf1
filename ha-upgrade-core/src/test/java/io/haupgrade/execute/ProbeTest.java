package io.haupgrade.execute;

import static org.assertj.core.api.Assertions.assertThat;

import io.haupgrade.embedded.EmbeddedSshNode;
import io.haupgrade.embedded.VersionedHttpService;
import io.haupgrade.embedded.VirtualEndpoint;
import io.haupgrade.journal.Journal;
import io.haupgrade.probe.ProbeResult;
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

    /**
     * As in Jenkins, where the process waiting for an approval ends and another resumes the run: the report's
     * measurement covers both stretches, and the time between them is unprobed, not counted as up.
     */
    @Test
    void aRunResumedByAnotherProcessIsProbedOverBothStretchesAndTheGapIsReported() throws Exception {
        ClusterSpec spec = spec("approvals:\n  at: [before-switchover]\n", null);
        Path runDir = tmp.resolve("run");
        ApprovalRequest request = sim.runUntilApproval(spec, runDir);
        List<RunEvent.ProbeMeasured> firstStretch = measured(runDir);
        assertThat(firstStretch).as("a record after each step and one when the process stopped probing")
                .hasSizeGreaterThan(3);
        ProbeResult first = firstStretch.get(firstStretch.size() - 1).result();
        Thread.sleep(400);

        StepOutcome.Finished done;
        try (Rollout resumed = Rollout.resume(runDir, spec, sim.context(spec), "bob", null, null, false)) {
            resumed.decide(ApprovalDecision.of(request.id(), ApprovalDecision.Answer.PROCEED, "bob", Instant.now(),
                    null));
            done = new RolloutRunner(resumed, r -> Optional.empty(), Clock.systemUTC()).run();
        }
        assertThat(done.status()).as(done.stoppedAt()).isEqualTo(RunStatus.SUCCEEDED);
        List<RunEvent.ProbeMeasured> all = measured(runDir);
        ProbeResult second = all.get(all.size() - 1).result();
        assertThat(second.startedAt()).isAfter(first.stoppedAt());

        ProbeResult probe = done.report().probe();
        assertThat(probe.stretches()).isEqualTo(2);
        assertThat(probe.sent()).isEqualTo(first.sent() + second.sent());
        assertThat(probe.failed()).isEqualTo(first.failed() + second.failed());
        assertThat(probe.startedAt()).isEqualTo(first.startedAt());
        assertThat(probe.stoppedAt()).isEqualTo(second.stoppedAt());
        assertThat(probe.unprobed()).isBetween(Duration.ofMillis(400), Duration.ofSeconds(10))
                .isEqualTo(Duration.between(first.stoppedAt(), second.startedAt()));
        // Both stretches saw the service: the old primary before the approval, the new one after the switchover.
        assertThat(probe.backends()).extracting(b -> b.backend()).contains("n1", "n2");
    }

    private static List<RunEvent.ProbeMeasured> measured(Path runDir) throws Exception {
        return Journal.read(runDir.resolve("journal.jsonl"), RunEvent.class).stream()
                .filter(RunEvent.ProbeMeasured.class::isInstance).map(RunEvent.ProbeMeasured.class::cast).toList();
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
