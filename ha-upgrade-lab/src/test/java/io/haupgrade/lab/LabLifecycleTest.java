package io.haupgrade.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The lab comes up quickly with one master, and leaves nothing behind: after close, and after a killed run. */
class LabLifecycleTest {

    @BeforeEach
    void requireLab() {
        LabSupport.assumeLabCanRun();
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void comesUpWithOneMasterAndLeavesNothingBehind() {
        Set<Long> pids;
        Path dir;
        try (Lab lab = Lab.start(LabConfig.defaults())) {
            dir = lab.directory();
            System.out.printf("lab-measure: bring-up of %d nodes %d ms%n", lab.nodes().size(),
                    lab.bringUpTime().toMillis());
            assertThat(lab.bringUpTime()).isLessThan(Duration.ofSeconds(15));
            assertThat(lab.vipHolders()).containsExactly("n1");
            assertThat(lab.nodes()).extracting(n -> lab.vrrpState(n.name()))
                    .containsExactly("MASTER", "BACKUP", "BACKUP");
            assertThat(Lab.labNamespaces())
                    .containsExactlyInAnyOrder("hulab-br", "hulab-client", "hulab-n1", "hulab-n2", "hulab-n3");

            // Each node is its own host: own PID namespace (sshd, keepalived, service only), host name, /opt.
            CommandOutput ps = lab.ssh("n2", "hostname; cat /opt/app/NODE; ps -e -o comm= | sort -u | tr '\\n' ' '")
                    .requireSuccess("look around on n2");
            assertThat(ps.stdout().lines().toList().subList(0, 2)).containsExactly("n2", "n2");
            assertThat(ps.stdout()).contains("keepalived", "sshd", "python3").doesNotContain("java");

            // Lab addresses do not exist in the root namespace: the safety route refuses them here, at once.
            assertThat(run("ip", "route", "show", "10.213.0.0/24").stdout()).startsWith("unreachable 10.213.0.0/24");
            CommandOutput fromRoot = Commands.run(List.of("curl", "-sS", "-m", "5", lab.serviceUrl()), Map.of(),
                    Duration.ofSeconds(10));
            assertThat(fromRoot.exitCode()).as(fromRoot.stderr()).isEqualTo(7); // could not connect
            assertThat(fromRoot.elapsed()).isLessThan(Duration.ofSeconds(2));

            pids = lab.processIds();
            assertThat(pids).hasSizeGreaterThanOrEqualTo(3 * 4);
        }
        assertThat(Lab.leftovers()).isEmpty();
        assertThat(pids).noneMatch(Lab::isRunning);
        assertThat(dir).doesNotExist();
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void startRemovesWhatAKilledRunLeftBehind() throws Exception {
        // What a JVM killed with SIGKILL leaves: a namespace with a process in it, its directory, the route.
        Path stale = Files.createTempDirectory(Lab.NAMESPACE_PREFIX);
        run("ip", "netns", "add", "hulab-n7");
        run("ip", "route", "replace", "unreachable", "10.213.0.0/24");
        Process sleeper = new ProcessBuilder("ip", "netns", "exec", "hulab-n7", "sleep", "300").start();
        try {
            Lab.await("the stale process to be in its namespace", Duration.ofSeconds(5),
                    () -> run("ip", "netns", "pids", "hulab-n7").stdout().strip().length() > 0);

            try (Lab lab = Lab.start(LabConfig.defaults().withNodes(1))) {
                assertThat(stale).doesNotExist();
                assertThat(Lab.labNamespaces()).doesNotContain("hulab-n7");
                assertThat(sleeper.waitFor(5, TimeUnit.SECONDS)).isTrue();
                assertThat(lab.vipHolders()).containsExactly("n1");
            }
            assertThat(Lab.leftovers()).isEmpty();
        } finally {
            Commands.kill(sleeper);
        }
    }

    private static CommandOutput run(String... command) {
        return Commands.run(List.of(command), Map.of(), Duration.ofSeconds(10)).requireSuccess(String.join(" ", command));
    }
}
