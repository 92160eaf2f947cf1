package io.haupgrade.embedded;

import static io.haupgrade.embedded.VersionedHttpServiceTest.get;
import static io.haupgrade.embedded.VersionedHttpServiceTest.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class DemoClusterTest {

    @TempDir
    Path dir;

    @Test
    void startsNodesWithNode1MasterBehindTheVirtualIpAndClosesEveryPort() throws Exception {
        List<Integer> ports;
        try (DemoCluster demo = DemoCluster.start(dir, 3, "1.0")) {
            assertThat(demo.nodes()).extracting(EmbeddedSshNode::name).containsExactly("node1", "node2", "node3");
            assertThat(Files.readString(dir.resolve("nodes/node2/role")).strip()).isEqualTo("BACKUP");
            HttpResponse<String> answer = get(demo.endpoint().url());
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).isEqualTo("node1 1.0\n");
            assertThat(get(demo.service("node3").url()).body()).isEqualTo("node3 1.0\n");
            assertThat(Files.readAllLines(demo.knownHostsFile())).hasSize(3)
                    .allSatisfy(line -> assertThat(line).startsWith("[127.0.0.1]:"));
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(demo.clientKeyFile())))
                    .isEqualTo("rw-------");
            ports = demo.ports();
            assertThat(ports).hasSize(7).allSatisfy(port -> assertThat(listening(port)).isTrue());
        }
        assertThat(ports).allSatisfy(port -> assertThat(listening(port)).as("port " + port).isFalse());
    }

    @Test
    void aDirectoryOfAnEarlierDemoStartsAgainAsItWasLeft() throws Exception {
        try (DemoCluster demo = DemoCluster.start(dir, 3, "1.0")) {
            write(dir.resolve("nodes/node1/role"), "BACKUP\n");
            write(dir.resolve("nodes/node2/role"), "MASTER\n");
            write(dir.resolve("nodes/node2/app/version"), "1.1\n");
        }
        try (DemoCluster again = DemoCluster.start(dir, 3, "1.0")) {
            assertThat(again.endpoint().master()).contains("node2");
            assertThat(get(again.endpoint().url()).body()).isEqualTo("node2 1.1\n");
            assertThat(get(again.service("node1").url()).body()).isEqualTo("node1 1.0\n");
        }
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
