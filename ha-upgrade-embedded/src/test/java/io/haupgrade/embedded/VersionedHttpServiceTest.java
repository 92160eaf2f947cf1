package io.haupgrade.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(20)
class VersionedHttpServiceTest {

    static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path nodeDir;

    static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    @Test
    void servesTheVersionItsFileNamesAndFollowsAnUpgrade() throws Exception {
        write(nodeDir.resolve("app/version"), "6.1.1\n");
        try (VersionedHttpService service = VersionedHttpService.start("n1", nodeDir)) {
            HttpResponse<String> before = get(service.url());
            assertThat(before.statusCode()).isEqualTo(200);
            assertThat(before.headers().firstValue("X-Node")).contains("n1");
            assertThat(before.headers().firstValue("X-Version")).contains("6.1.1");
            assertThat(before.body()).isEqualTo("n1 6.1.1\n");

            write(nodeDir.resolve("app/version"), "6.1.2\n");

            assertThat(get(service.url()).headers().firstValue("X-Version")).contains("6.1.2");
            assertThat(service.requests()).isEqualTo(2);
        }
    }

    @Test
    void aStoppedServiceAnswers503UntilItRunsAgain() throws Exception {
        write(nodeDir.resolve("app/version"), "6.1.1");
        try (VersionedHttpService service = VersionedHttpService.start("n2", nodeDir)) {
            assertThat(get(service.url()).statusCode()).as("no state file: running").isEqualTo(200);

            write(nodeDir.resolve("app/state"), "stopped\n");
            HttpResponse<String> stopped = get(service.url());
            assertThat(stopped.statusCode()).isEqualTo(503);
            assertThat(stopped.body()).isEqualTo("n2 6.1.1 is stopped\n");

            write(nodeDir.resolve("app/state"), "running\n");
            assertThat(get(service.url() + "health").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aFileCaughtEmptyWhileRewrittenKeepsTheLastValue() throws Exception {
        write(nodeDir.resolve("app/version"), "6.1.1");
        try (VersionedHttpService service = VersionedHttpService.start("n1", nodeDir)) {
            get(service.url());
            write(nodeDir.resolve("app/version"), "");
            assertThat(get(service.url()).headers().firstValue("X-Version")).contains("6.1.1");

            Files.delete(nodeDir.resolve("app/version"));
            assertThat(get(service.url()).headers().firstValue("X-Version")).contains("unknown");
        }
    }

    @Test
    void closingFreesThePort() throws Exception {
        VersionedHttpService service = VersionedHttpService.start("n1", nodeDir);
        String url = service.url();
        service.close();

        try {
            get(url);
            org.assertj.core.api.Assertions.fail("still answering after close");
        } catch (java.net.ConnectException expected) {
            assertThat(expected).isNotNull();
        }
    }
}
