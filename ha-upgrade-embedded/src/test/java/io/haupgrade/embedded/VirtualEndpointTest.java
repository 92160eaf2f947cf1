package io.haupgrade.embedded;

import static io.haupgrade.embedded.VersionedHttpServiceTest.get;
import static io.haupgrade.embedded.VersionedHttpServiceTest.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(20)
class VirtualEndpointTest {

    @TempDir
    Path root;

    private final List<VersionedHttpService> services = new ArrayList<>();
    private VirtualEndpoint vip;

    @BeforeEach
    void threeNodesWithN3Master() throws Exception {
        for (String node : List.of("n1", "n2", "n3")) {
            Path dir = root.resolve(node);
            write(dir.resolve("app/version"), "6.1.1");
            write(dir.resolve("role"), node.equals("n3") ? "MASTER\n" : "BACKUP\n");
            services.add(VersionedHttpService.start(node, dir));
        }
        vip = VirtualEndpoint.following(services);
    }

    @AfterEach
    void close() {
        if (vip != null) {
            vip.close();
        }
        services.forEach(VersionedHttpService::close);
    }

    private Path role(String node) {
        return root.resolve(node).resolve("role");
    }

    @Test
    void forwardsToTheMasterAndFollowsASwitchoverDoneInFiles() throws Exception {
        HttpResponse<String> before = get(vip.url() + "health?x=1");
        assertThat(before.statusCode()).isEqualTo(200);
        assertThat(before.headers().firstValue("X-Node")).contains("n3");
        assertThat(before.headers().firstValue(VirtualEndpoint.VIA_HEADER)).contains("n3");
        assertThat(before.body()).isEqualTo("n3 6.1.1\n");

        write(role("n3"), "BACKUP\n");
        HttpResponse<String> between = get(vip.url());
        assertThat(between.statusCode()).as("no master: an outage").isEqualTo(503);
        assertThat(between.body()).contains("no node is MASTER");
        assertThat(vip.master()).isEmpty();

        write(root.resolve("n1/app/version"), "6.1.2");
        write(role("n1"), "MASTER\n");
        HttpResponse<String> after = get(vip.url());
        assertThat(after.headers().firstValue("X-Node")).contains("n1");
        assertThat(after.headers().firstValue("X-Version")).contains("6.1.2");
        assertThat(services.get(0).requests()).isEqualTo(1);
        assertThat(services.get(2).requests()).isEqualTo(1);
    }

    @Test
    void twoMastersMeanTheMostRecentlyWrittenWins() throws Exception {
        Thread.sleep(20);
        write(role("n2"), "master");

        assertThat(vip.master()).contains("n2");
        assertThat(get(vip.url()).headers().firstValue("X-Node")).contains("n2");
    }

    @Test
    void passesTheMastersOwn503Through() throws Exception {
        write(root.resolve("n3/app/state"), "stopped");

        HttpResponse<String> answer = get(vip.url());

        assertThat(answer.statusCode()).isEqualTo(503);
        assertThat(answer.body()).isEqualTo("n3 6.1.1 is stopped\n");
    }

    @Test
    void aMasterWhoseServiceIsGoneAnswers502() throws Exception {
        services.get(2).close();

        HttpResponse<String> answer = get(vip.url());

        assertThat(answer.statusCode()).isEqualTo(502);
        assertThat(answer.body()).startsWith("master n3 does not answer");
    }
}
