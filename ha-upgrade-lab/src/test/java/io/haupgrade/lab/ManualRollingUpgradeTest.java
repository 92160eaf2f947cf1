package io.haupgrade.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A complete rolling upgrade of the 3-node keepalived lab done by hand, in the careful order, with the commands
 * of the lab's cluster spec over plain ssh: the backups first (fence, upgrade with the service restarted on the
 * new version, verify, unfence), then the VIP moved away by priority, then the old master, then its priority
 * restored (failback). The probe, every 20 ms with a 200 ms timeout from the client namespace, sees no failure.
 */
class ManualRollingUpgradeTest {
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
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void rollingUpgradeOfThreeNodesLosesNoRequestAndEndsOnTheNewVersion() {
        LabClusterSpec spec = LabClusterSpec.load(lab.clusterSpec());
        String target = spec.targetVersion();
        var phases = new PhaseRunner(lab, spec, Map.of("targetVersion", target));

        String primary = primaryByRoleDetection(spec);
        assertThat(primary).isEqualTo("n1");
        List<String> standbys = lab.nodes().stream().map(LabNode::name).filter(n -> !n.equals(primary)).toList();

        ProbeReport report;
        long start;
        long end;
        try (LabProbe probe = LabProbe.start(lab, LabSmokeTest.PROBE_INTERVAL, LabSmokeTest.PROBE_TIMEOUT,
                LabSmokeTest.PROBE_LONGEST)) {
            start = System.nanoTime();
            for (String standby : standbys) {
                upgrade(phases, standby);
                assertThat(lab.vipHolders()).containsExactly(primary);
            }
            phases.run("switchover", primary);
            assertThat(lab.vipHolders()).hasSize(1).isSubsetOf(standbys);
            upgrade(phases, primary);
            phases.run("failback", primary);
            end = System.nanoTime();
            assertThat(lab.vipHolders()).containsExactly(primary);
            LabSmokeTest.pause(Duration.ofMillis(1500));
            report = probe.stop();
        }
        Duration took = Duration.ofNanos(end - start);
        System.out.printf("lab-measure: manual rolling upgrade of 3 nodes over ssh %d ms (service warm-up %d ms); "
                + "probe %s%n", took.toMillis(), lab.config().serviceWarmup().toMillis(), report.summary());

        assertThat(report.failed()).as(report.summary()).isZero();
        // The old version answers until the switchover, the new one from then on, from the primary at the end.
        // (After the master lowers its priority any upgraded backup may answer first, then the highest one.)
        List<String> responders = report.responders();
        assertThat(responders.get(0)).isEqualTo(primary + "@1.0.0");
        assertThat(responders.subList(1, responders.size())).isNotEmpty()
                .allMatch(r -> r.endsWith("@" + target)).endsWith(primary + "@" + target);
        for (LabNode node : lab.nodes()) {
            assertThat(lab.ssh(node.name(), spec.versionCommand()).requireSuccess("version of " + node.name())
                    .stdout().strip()).as(node.name()).isEqualTo(target);
            assertThat(lab.vrrpState(node.name())).as(node.name()).isEqualTo(node.name().equals(primary) ? "MASTER" : "BACKUP");
        }
        assertThat(primaryByRoleDetection(spec)).isEqualTo(primary);
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void fenceRefusesTheVipHolderAndAFailedVerifyIsRolledBack() {
        LabClusterSpec spec = LabClusterSpec.load(lab.clusterSpec());
        var broken = new PhaseRunner(lab, spec, Map.of("targetVersion", "2.0.0-broken"));

        // Fencing the master would move the VIP the lossy way: the fence command refuses.
        assertThat(lab.ssh("n1", spec.phase("fence", Map.of()).get(0).run()).stderr())
                .contains("holds the VIP 10.213.0.10: switch over first");
        assertThat(lab.vipHolders()).containsExactly("n1");

        broken.run("fence", "n3");
        assertThat(lab.vrrpState("n3")).isEqualTo("FAULT");
        // The broken version starts and serves, but is unhealthy: appctl restart fails, and so does verify.
        CommandOutput upgrade = lab.ssh("n3", spec.phase("upgrade", Map.of("targetVersion", "2.0.0-broken")).get(0).run());
        assertThat(upgrade.succeeded()).isFalse();
        CommandOutput verify = lab.ssh("n3", spec.phase("verify", Map.of("targetVersion", "2.0.0-broken")).get(0).run());
        assertThat(verify.succeeded()).isFalse();

        broken.run("rollback", "n3");
        broken.run("unfence", "n3");
        assertThat(lab.ssh("n3", spec.versionCommand()).stdout().strip()).isEqualTo("1.0.0");
        assertThat(lab.vrrpState("n3")).isEqualTo("BACKUP");
        assertThat(lab.vipHolders()).containsExactly("n1");
    }

    private void upgrade(PhaseRunner phases, String node) {
        phases.run("fence", node);
        assertThat(lab.vrrpState(node)).isEqualTo("FAULT");
        phases.run("upgrade", node);
        phases.run("verify", node);
        phases.run("unfence", node);
    }

    /** The node whose role detection output matches the spec's primary pattern; exactly one must. */
    private String primaryByRoleDetection(LabClusterSpec spec) {
        Pattern primary = spec.primaryPattern();
        List<String> primaries = lab.nodes().stream().map(LabNode::name)
                .filter(n -> primary.matcher(lab.ssh(n, spec.roleCommand()).requireSuccess("role of " + n)
                        .stdout().strip()).find())
                .toList();
        assertThat(primaries).as("nodes detected as primary").hasSize(1);
        return primaries.get(0);
    }
}
