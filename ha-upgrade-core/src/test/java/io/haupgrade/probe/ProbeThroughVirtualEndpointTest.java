package io.haupgrade.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import io.haupgrade.embedded.VersionedHttpService;
import io.haupgrade.embedded.VirtualEndpoint;
import io.haupgrade.spec.ServiceProbe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The probe through the embedded VIP while the test switches the master over by rewriting role files. */
@Timeout(20)
class ProbeThroughVirtualEndpointTest {

    private static final Duration INTERVAL = Duration.ofMillis(20);

    @TempDir
    Path root;

    private final List<VersionedHttpService> services = new ArrayList<>();
    private VirtualEndpoint vip;

    @BeforeEach
    void threeNodesN3Master() throws Exception {
        for (String node : List.of("n1", "n2", "n3")) {
            Path dir = root.resolve(node);
            Files.createDirectories(dir.resolve("app"));
            Files.writeString(dir.resolve("app/version"), node.equals("n1") ? "6.1.2" : "6.1.1");
            Files.writeString(dir.resolve("role"), node.equals("n3") ? "MASTER" : "BACKUP");
            services.add(VersionedHttpService.start(node, dir));
        }
        vip = VirtualEndpoint.following(services);
    }

    @AfterEach
    void close() {
        vip.close();
        services.forEach(VersionedHttpService::close);
    }

    private DowntimeProbe probe() {
        return new DowntimeProbe(new ServiceProbe(vip.url(), INTERVAL, Duration.ofSeconds(1), null,
                VersionedHttpService.NODE_HEADER, VersionedHttpService.VERSION_HEADER), Duration.ofSeconds(30), e -> { });
    }

    @Test
    void aSwitchoverWithAGapWithoutMasterIsOneOutageAndTheBackendMoves() throws Exception {
        try (SchedulerLateness lateness = new SchedulerLateness(); DowntimeProbe probe = probe().start()) {
            WarmUp.awaitAnswers(probe, 5);
            probe.activityStarted("n3", "switchover");
            long demoted = System.nanoTime();
            Files.writeString(root.resolve("n3/role"), "BACKUP");
            Thread.sleep(300);
            Files.writeString(root.resolve("n1/role"), "MASTER");
            long withoutMaster = (System.nanoTime() - demoted) / 1_000_000;
            probe.activityEnded("n3");
            WarmUp.awaitRecovered(probe);
            ProbeResult result = probe.stop();

            assertThat(result.outages()).singleElement().satisfies(o -> {
                assertThat(o.firstError()).isEqualTo("HTTP 503");
                // Two servers and a file read sit in each probe's path: a few milliseconds more than a direct probe.
                assertThat(o.length().toMillis())
                        .isCloseTo(withoutMaster, within(INTERVAL.toMillis() + 10 + 2 * lateness.worstMillis()));
                assertThat(o.activities()).containsExactly(new Activity("n3", "switchover"));
            });
            assertThat(result.backends()).extracting(BackendSpan::backend, BackendSpan::version)
                    .containsExactly(tuple("n3", "6.1.1"), tuple("n1", "6.1.2"));
        }
    }

    @Test
    void aSwitchoverThatPromotesBeforeItDemotesLosesNothing() throws Exception {
        try (DowntimeProbe probe = probe().start()) {
            WarmUp.awaitAnswers(probe, 5);
            Files.writeString(root.resolve("n1/role"), "MASTER");
            Thread.sleep(100);
            Files.writeString(root.resolve("n3/role"), "BACKUP");
            Thread.sleep(200);
            ProbeResult result = probe.stop();

            assertThat(result.failed()).isZero();
            assertThat(result.backends()).extracting(BackendSpan::backend).containsExactly("n3", "n1");
        }
    }
}
