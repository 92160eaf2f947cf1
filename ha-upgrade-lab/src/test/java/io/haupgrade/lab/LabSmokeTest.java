package io.haupgrade.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The lab works as a keepalived cluster does in production: SSH with strict host keys, one master serving the VIP,
 * a switchover by priority that loses nothing, and a node crash that moves the VIP within a second or two.
 * Everything is done with plain ssh commands from the client namespace while the probe runs there.
 */
class LabSmokeTest {
    static final Duration PROBE_INTERVAL = Duration.ofMillis(20);
    static final Duration PROBE_TIMEOUT = Duration.ofMillis(200);
    static final Duration PROBE_LONGEST = Duration.ofSeconds(120);

    private Lab lab;

    @BeforeEach
    void startLab() {
        LabSupport.assumeLabCanRun();
        lab = Lab.start(LabConfig.defaults());
    }

    @AfterEach
    void closeLab() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void sshReachesEveryNodeWithStrictHostKeyChecking() throws Exception {
        for (LabNode node : lab.nodes()) {
            CommandOutput out = lab.ssh(node.name(), "hostname; ip -o -4 addr show dev eth0 | awk '{print $4}'")
                    .requireSuccess("ssh to " + node.name());
            assertThat(out.stdout().lines().findFirst()).hasValue(node.name());
            assertThat(out.stdout()).contains(node.address() + "/24");
        }
        // Strict: a host key the client does not know is refused, not learned.
        Files.writeString(lab.knownHosts(), "");
        CommandOutput refused = lab.ssh("n2", "true");
        assertThat(refused.exitCode()).isEqualTo(255);
        assertThat(refused.stderr()).contains("Host key verification failed");
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void theVipAnswersWithTheMastersNameAndVersion() {
        CommandOutput response = lab.runInClient(List.of("curl", "-sS", "-m", "2", "-D", "-", lab.serviceUrl()),
                Duration.ofSeconds(10)).requireSuccess("GET through the VIP");
        assertThat(response.stdout()).contains("X-Node: n1", "X-Version: 1.0.0").endsWith("n1 1.0.0\n");
        assertThat(lab.ssh("n1", "cat /run/keepalived.state").stdout().strip()).isEqualTo("MASTER");
        assertThat(lab.ssh("n3", "/opt/app/appctl version").stdout().strip()).isEqualTo("1.0.0");
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void aJvmInTheClientNamespaceReachesTheVipAndItsOutputIsCaptured() throws Exception {
        CommandOutput out = lab.runInClient(Lab.javaCommand(ProbeMain.class, lab.serviceUrl(), "20", "200", "1"),
                Duration.ofSeconds(60)).requireSuccess("a probe JVM in the client namespace");
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        List<ProbeSample> samples = new java.util.ArrayList<>();
        for (String line : out.stdout().lines().toList()) {
            samples.add(mapper.readValue(line, ProbeSample.class));
        }
        ProbeReport report = new ProbeReport(samples);
        // About 1 s at 20 ms; fewer when the machine is busy, never none.
        assertThat(report.total()).as(report.summary()).isBetween(10, 51);
        assertThat(report.failed()).as(report.summary()).isZero();
        assertThat(report.responders()).containsExactly("n1@1.0.0");
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void switchoverByRaisingABackupsPriorityAndBackLosesNoRequest() {
        // The spec's helpers (failback: 1st quiets the node taking the VIP, 2nd holds it on the node giving it up).
        List<LabClusterSpec.Command> failback = LabClusterSpec.load(lab.clusterSpec()).phase("failback", Map.of());
        String quietTakeover = failback.get(0).run();
        String holdVip = failback.get(1).run();
        try (LabProbe probe = LabProbe.start(lab, PROBE_INTERVAL, PROBE_TIMEOUT, PROBE_LONGEST)) {
            pause(Duration.ofMillis(500));
            lab.ssh("n1", holdVip).requireSuccess("hold the VIP on n1");
            lab.ssh("n2", quietTakeover + setPriority(250)).requireSuccess("raise n2's priority");
            Duration there = Lab.await("n2 to hold the VIP alone", Duration.ofSeconds(10),
                    () -> lab.vipHolders().equals(List.of("n2")));
            assertThat(lab.vrrpState("n1")).isEqualTo("BACKUP");
            pause(Duration.ofMillis(1500));
            lab.ssh("n2", holdVip).requireSuccess("hold the VIP on n2");
            lab.ssh("n1", quietTakeover).requireSuccess("quiet n1's takeover");
            lab.ssh("n2", setPriority(140)).requireSuccess("restore n2's priority");
            Duration back = Lab.await("n1 to hold the VIP alone", Duration.ofSeconds(10),
                    () -> lab.vipHolders().equals(List.of("n1")));
            pause(Duration.ofMillis(1500));

            ProbeReport report = probe.stop();
            System.out.printf("lab-measure: switchover by raising n2's priority: VIP moved in %d ms, back in %d ms; "
                    + "probe %s%n", there.toMillis(), back.toMillis(), report.summary());
            assertThat(report.failed()).as(report.summary()).isZero();
            assertThat(report.responders()).containsExactly("n1@1.0.0", "n2@1.0.0", "n1@1.0.0");
        }
        // The helpers are gone once the moves are done: no VIP on lo, no firewall table.
        for (String node : List.of("n1", "n2")) {
            Lab.await("the switchover helpers on " + node + " to end", Duration.ofSeconds(10), () -> lab.ssh(node,
                    "ip -o addr show dev lo to 10.213.0.10/32; nft list tables").stdout().isBlank());
        }
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void theSpecsSwitchoverAndFailbackLoseNoRequest() {
        var phases = new PhaseRunner(lab, LabClusterSpec.load(lab.clusterSpec()), Map.of());
        try (LabProbe probe = LabProbe.start(lab, PROBE_INTERVAL, PROBE_TIMEOUT, PROBE_LONGEST)) {
            pause(Duration.ofMillis(500));
            // As the engine runs them: the switchover for the master with the peer taking over, the failback for the
            // current master with the original one as its peer.
            phases.run("switchover", "n1", "n2");
            assertThat(lab.vipHolders()).containsExactly("n2");
            assertThat(lab.vrrpState("n1")).isEqualTo("BACKUP");
            pause(Duration.ofMillis(1500));
            phases.run("failback", "n2", "n1");
            Lab.await("n1 to hold the VIP alone", Duration.ofSeconds(5), () -> lab.vipHolders().equals(List.of("n1")));
            pause(Duration.ofMillis(1500));

            ProbeReport report = probe.stop();
            System.out.printf("lab-measure: the spec's switchover (the peer raises its priority) and failback: probe %s%n",
                    report.summary());
            assertThat(report.failed()).as(report.summary()).isZero();
            assertThat(report.responders()).containsExactly("n1@1.0.0", "n2@1.0.0", "n1@1.0.0");
        }
        for (String node : List.of("n1", "n2")) {
            assertThat(lab.ssh(node, "awk '$1 == \"priority\" {print $2; exit}' /etc/keepalived/keepalived.conf; "
                    + "ls /etc/keepalived").stdout()).as(node).startsWith(node.equals("n1") ? "150\n" : "140\n")
                    .doesNotContain("priority.ha-upgrade");
        }
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void fenceRefusesTheVipHolderAndRollbackRestoresTheOldVersion() {
        LabClusterSpec spec = LabClusterSpec.load(lab.clusterSpec());
        var broken = new PhaseRunner(lab, spec, Map.of("targetVersion", "2.0.0-broken"));

        // Fencing the master would move the VIP the lossy way: the fence command refuses.
        assertThat(lab.ssh("n1", spec.phase("fence", Map.of()).get(0).run()).stderr())
                .contains("holds the VIP 10.213.0.10: switch over first");
        assertThat(lab.vipHolders()).containsExactly("n1");

        broken.run("fence", "n3");
        assertThat(lab.vrrpState("n3")).isEqualTo("FAULT");
        // The broken version starts and serves (the upgrade succeeds), but is unhealthy: verify fails.
        CommandOutput upgrade = lab.ssh("n3", spec.phase("upgrade", Map.of("targetVersion", "2.0.0-broken")).get(0).run());
        assertThat(upgrade.succeeded()).as(upgrade.stderr()).isTrue();
        CommandOutput verify = lab.ssh("n3", spec.phase("verify", Map.of("targetVersion", "2.0.0-broken")).get(0).run());
        assertThat(verify.succeeded()).isFalse();

        broken.run("rollback", "n3");
        broken.run("unfence", "n3");
        assertThat(lab.ssh("n3", spec.versionCommand()).stdout().strip()).isEqualTo("1.0.0");
        assertThat(lab.vrrpState("n3")).isEqualTo("BACKUP");
        assertThat(lab.vipHolders()).containsExactly("n1");
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void killingTheMastersNodeMovesTheVipWithinTwoSecondsAndTheProbeSeesTheOutage() {
        ProbeReport report;
        Duration moved;
        try (LabProbe probe = LabProbe.start(lab, PROBE_INTERVAL, PROBE_TIMEOUT, PROBE_LONGEST)) {
            pause(Duration.ofMillis(500));
            long pid = lab.initPid("n1").orElseThrow();
            lab.killNode("n1");
            assertThat(Lab.isRunning(pid)).isFalse();
            moved = Lab.await("n2 to take the VIP", Duration.ofSeconds(2), () -> lab.vipHolders().equals(List.of("n2")));
            Lab.await("the probe to be answered by n2", Duration.ofSeconds(4),
                    () -> probe.snapshot().lastResponder().equals("n2@1.0.0"));
            pause(Duration.ofMillis(500));
            report = probe.stop();
        }
        System.out.printf("lab-measure: master node killed: VIP on n2 %d ms after the kill returned; probe %s%n",
                moved.toMillis(), report.summary());
        assertThat(lab.vrrpState("n1")).isEqualTo("DOWN");
        assertThat(report.failed()).as(report.summary()).isPositive();
        assertThat(report.outages()).hasSize(1);
        assertThat(report.longestOutage()).isLessThan(Duration.ofSeconds(2));
        assertThat(report.responders()).containsExactly("n1@1.0.0", "n2@1.0.0");

        // The node reboots: it comes back, and with the highest priority it takes the VIP back.
        lab.startNode("n1");
        Lab.await("n1 to take the VIP back", Duration.ofSeconds(10), () -> lab.vipHolders().equals(List.of("n1")));
        assertThat(lab.ssh("n1", "hostname").stdout().strip()).isEqualTo("n1");
    }

    /** Sets this node's VRRP priority in keepalived.conf and reloads keepalived (SIGHUP). */
    static String setPriority(int priority) {
        return "\nsed -i 's/^\\( *priority\\) .*/\\1 " + priority + "/' /etc/keepalived/keepalived.conf"
                + " && kill -HUP \"$(cat /run/keepalived.pid)\"";
    }

    static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted", e);
        }
    }
}
