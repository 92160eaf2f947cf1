package io.haupgrade.profile;

import static io.haupgrade.profile.ProfileSpecs.cluster;
import static io.haupgrade.profile.ProfileSpecs.load;
import static io.haupgrade.profile.ProfileSpecs.render;
import static io.haupgrade.profile.ProfileSpecs.rendered;
import static org.assertj.core.api.Assertions.assertThat;

import io.haupgrade.spec.ClusterSpec;
import io.haupgrade.spec.CommandSpec;
import io.haupgrade.spec.Phase;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The command lines the profiles send to a node are the runbooks' commands, and they work in a real shell. */
@Timeout(60)
class RunbookCommandsTest {
    @TempDir
    Path dir;

    private static ClusterSpec pacemaker(String settings) {
        return load(cluster("profile: {name: pacemaker, settings: {resource: web, " + settings + "}}"));
    }

    @Test
    void pacemakerStandbyStyleInBothDialects() {
        ClusterSpec pcs = pacemaker("dialect: pcs, fence: standby");
        // Then a check that n2 is in standby now (crmsh only warns when it cannot reach the node: the lab).
        assertThat(rendered(pcs, Phase.FENCE, "n2", "n1", null)).hasSize(3)
                .startsWith("pcs node standby n2", "crm_resource --wait --timeout=120s").last().asString()
                .startsWith("n=n2\ncrm_mon -1 --output-as=xml | grep -q \"<node name=\\\"$n\\\" [^>]*standby=\\\"true\\\"\"");
        assertThat(rendered(pcs, Phase.UNFENCE, "n2", "n1", null)).containsExactly("pcs node unstandby n2");
        assertThat(rendered(pcs, Phase.SWITCHOVER, "n1", "n1", "n2").get(0)).isEqualTo("pcs node standby n1");
        assertThat(rendered(pcs, Phase.SWITCHOVER, "n1", "n1", "n2")).hasSize(2);

        ClusterSpec crm = pacemaker("dialect: crmsh, fence: standby");
        assertThat(rendered(crm, Phase.FENCE, "n2", "n1", null)).hasSize(3)
                .startsWith("crm node standby n2", "crm_resource --wait --timeout=120s");
        assertThat(rendered(crm, Phase.UNFENCE, "n2", "n1", null)).containsExactly("crm node online n2");
        // Failback runs for the current primary (n2), the role goes back to the original primary (the peer, n1).
        List<String> failback = rendered(crm, Phase.FAILBACK, "n2", "n2", "n1");
        assertThat(failback).first().isEqualTo("crm node standby n2");
        assertThat(failback.get(1)).startsWith("r=web; n=n1\n");
        assertThat(failback).last().isEqualTo("crm node online n2");
    }

    @Test
    void pacemakerNodeMaintenanceChecksTheResourcesBeforeLeavingMaintenance() {
        ClusterSpec spec = pacemaker("dialect: pcs, fence: node-maintenance");
        List<String> fence = rendered(spec, Phase.FENCE, "n2", "n1", null);
        // First the cluster settles: an action in flight on the node when it enters maintenance fails (the lab).
        assertThat(fence.get(0)).isEqualTo("crm_resource --wait --timeout=120s");
        assertThat(fence.get(1)).isEqualTo("pcs node maintenance n2");
        // Then a check that it took effect (crmsh only warns when it cannot reach the node), then the record.
        assertThat(fence.get(2)).startsWith("n=n2\ncrm_mon -1 --output-as=xml | grep -q").contains("maintenance=");
        assertThat(fence.get(3)).startsWith("n=n2; d=/var/lib/ha-upgrade; mkdir -p \"$d\"\ncrm_mon -1 --output-as=xml");
        List<String> unfence = rendered(spec, Phase.UNFENCE, "n2", "n1", null);
        assertThat(unfence).hasSize(2);
        assertThat(unfence.get(0)).contains("crm_resource --refresh --node \"$n\"", "cmp -s");
        assertThat(unfence.get(1)).isEqualTo("pcs node unmaintenance n2");
        // Runbook step 4: standby the primary, wait, back online.
        assertThat(rendered(spec, Phase.SWITCHOVER, "n1", "n1", "n2")).first().isEqualTo("pcs node standby n1");
        assertThat(rendered(spec, Phase.SWITCHOVER, "n1", "n1", "n2")).last().isEqualTo("pcs node unstandby n1");

        ClusterSpec crm = pacemaker("dialect: crmsh, fence: node-maintenance");
        assertThat(rendered(crm, Phase.FENCE, "n2", "n1", null).get(1)).isEqualTo("crm node maintenance n2");
        assertThat(rendered(crm, Phase.UNFENCE, "n2", "n1", null)).last().isEqualTo("crm node ready n2");
    }

    @Test
    void pacemakerClusterMaintenanceWrapsTheWholeRolloutAndMovesNothing() {
        ClusterSpec spec = pacemaker("dialect: crmsh, fence: cluster-maintenance");
        assertThat(spec.hooks().beforeAll()).extracting(CommandSpec::run).last()
                .isEqualTo("crm configure property maintenance-mode=true");
        assertThat(spec.hooks().afterAll()).extracting(CommandSpec::run).last()
                .isEqualTo("crm configure property maintenance-mode=false");
        assertThat(spec.hooks().afterAll().get(0).run()).contains("cmp -s");
        assertThat(spec.discovery().role()).isNull();
        assertThat(spec.commands().switchover()).isEmpty();
        assertThat(pacemaker("dialect: pcs, fence: cluster-maintenance").hooks().beforeAll()).extracting(CommandSpec::run)
                .last().isEqualTo("pcs property set maintenance-mode=true");
    }

    @Test
    void pacemakerItselfIsStoppedAfterTheFenceAndRejoinsBeforeTheUnfence() {
        ClusterSpec spec = pacemaker("dialect: pcs, fence: standby, upgradePacemaker: \"true\"");
        List<String> fence = rendered(spec, Phase.FENCE, "n2", "n1", null);
        assertThat(fence.get(2)).startsWith("n=n2\ncrm_mon -1 --output-as=xml | grep -q").contains("standby=");
        assertThat(fence).hasSize(4).startsWith("pcs node standby n2", "crm_resource --wait --timeout=120s")
                .endsWith("systemctl stop pacemaker");
        List<String> unfence = rendered(spec, Phase.UNFENCE, "n2", "n1", null);
        assertThat(unfence.get(0)).isEqualTo("systemctl start pacemaker");
        assertThat(unfence.get(1)).startsWith("n=n2\n").contains("online=").doesNotContain("ha-upgrade");
        assertThat(unfence.get(2)).isEqualTo("pcs node unstandby n2");
    }

    @Test
    void pacemakerAutoDialectPicksPcsWhenInstalledElseCrm() throws Exception {
        ClusterSpec spec = pacemaker("fence: standby");
        String fence = rendered(spec, Phase.FENCE, "n2", "n1", null).get(0);
        assertThat(fence).isEqualTo("if command -v pcs >/dev/null 2>&1; then pcs node standby n2; else crm node standby n2; fi");

        FakeTools crmOnly = new FakeTools(dir.resolve("crm")).tool("crm", "exit 0");
        assertThat(crmOnly.run(fence).exitCode()).isZero();
        assertThat(crmOnly.calls()).isEqualTo("crm node standby n2\n");
        FakeTools both = new FakeTools(dir.resolve("both")).tool("crm", "exit 0").tool("pcs", "exit 0");
        assertThat(both.run(fence).exitCode()).isZero();
        assertThat(both.calls()).isEqualTo("pcs node standby n2\n");
    }

    @Test
    void keepalivedPrimaryIsTheVipHolder() throws Exception {
        ClusterSpec spec = load(cluster("profile: {name: keepalived, settings: {vip: 198.51.100.10, interface: ens3}}"));
        String role = render(spec, List.of(spec.discovery().role().command()), "n1", null, null).get(0);
        assertThat(role).isEqualTo("ip -o addr show dev ens3 to 198.51.100.10 | grep -q . && echo vip-holder || echo no-vip");
        FakeTools holder = new FakeTools(dir.resolve("holder")).tool("ip",
                "echo '2: ens3    inet 198.51.100.10/32 scope global ens3\\       valid_lft forever preferred_lft forever'");
        assertThat(holder.run(role).stdout()).isEqualTo("vip-holder\n");
        assertThat(holder.calls()).isEqualTo("ip -o addr show dev ens3 to 198.51.100.10\n");
        FakeTools other = new FakeTools(dir.resolve("other")).tool("ip", "exit 0");
        assertThat(other.run(role).stdout()).isEqualTo("no-vip\n");
        assertThat("vip-holder").containsPattern(spec.discovery().role().primaryPattern());
        assertThat("no-vip").doesNotContainPattern(spec.discovery().role().primaryPattern());
    }

    @Test
    void keepalivedMovesTheVipByRaisingThePeersPriorityWithTheHelpersWhereTheVipLeavesAndArrives() {
        ClusterSpec spec = load(cluster("profile: {name: keepalived, settings: {vip: 198.51.100.10, interface: ens3}}"));
        // Switchover for the master n1 towards n2: quiet takeover on n2, hold on n1, n2's priority raised.
        assertThat(spec.commands().switchover()).extracting(CommandSpec::on).containsExactly("peer", "self", "peer");
        // Failback for the current master n2 towards n1: quiet takeover on n1, hold on n2, n2's priority restored.
        assertThat(spec.commands().failback()).extracting(CommandSpec::on).containsExactly("peer", "self", "self");
        List<String> switchover = rendered(spec, Phase.SWITCHOVER, "n1", "n1", "n2");
        assertThat(switchover.get(0)).startsWith("vip=198.51.100.10\nnft delete table ip ha_upgrade_takeover");
        assertThat(switchover.get(1)).startsWith("dev=ens3; vip=198.51.100.10\nsysctl -qw ");
        assertThat(switchover.get(2)).startsWith("conf=/etc/keepalived/keepalived.conf; high=254\n")
                .contains("kill -HUP \"$(cat /run/keepalived.pid)\"", "ip -o addr show dev ens3 to 198.51.100.10");
        assertThat(rendered(spec, Phase.FAILBACK, "n2", "n2", "n1").get(2)).startsWith("conf=/etc/keepalived/keepalived.conf\n");
        ClusterSpec plain = load(cluster("profile: {name: keepalived, settings: {vip: 198.51.100.10, seamless: \"false\"}}"));
        assertThat(plain.commands().switchover()).extracting(CommandSpec::on).containsExactly("peer");
        assertThat(plain.commands().failback()).extracting(CommandSpec::on).containsExactly("self");
    }

    @Test
    void keepalivedSwitchoverRaisesThePeersPriorityAndFailbackRestoresIt() throws Exception {
        Path conf = dir.resolve("keepalived.conf");
        java.nio.file.Files.writeString(conf, "vrrp_instance VI_1 {\n    state BACKUP\n    priority 140\n}\n");
        Path hups = dir.resolve("hups");
        Process keepalived = new ProcessBuilder("/bin/sh", "-c", "trap 'echo HUP >> " + hups + "' HUP; i=0; "
                + "while [ $i -lt 300 ]; do sleep 0.1; i=$((i+1)); done").start();
        java.nio.file.Files.writeString(dir.resolve("keepalived.pid"), keepalived.pid() + "\n");
        try {
            switchoverAndFailback(conf, hups);
        } finally {
            keepalived.destroyForcibly();
        }
    }

    private void switchoverAndFailback(Path conf, Path hups) throws Exception {
        ClusterSpec local = load(cluster("profile: {name: keepalived, settings: {vip: 198.51.100.10, seamless: \"false\", "
                + "configFile: " + conf + ", pidFile: " + dir.resolve("keepalived.pid") + "}}"));
        // Runs on the peer (n2): the stand-in ip says the VIP arrived after the reload (SIGHUP).
        String switchover = rendered(local, Phase.SWITCHOVER, "n1", "n1", "n2").get(0);
        FakeTools holder = new FakeTools(dir.resolve("holder"))
                .tool("ip", "echo '2: eth0    inet 198.51.100.10/32 scope global eth0'");
        FakeTools.Result raised = holder.run(switchover);
        assertThat(raised.exitCode()).as(raised.stderr()).isZero();
        assertThat(java.nio.file.Files.readString(conf)).contains("    priority 254\n");
        assertThat(java.nio.file.Files.readString(dir.resolve("keepalived.conf.priority.ha-upgrade"))).isEqualTo("140\n");
        io.haupgrade.profile.Await.until(() -> java.nio.file.Files.exists(hups));
        // Run again (a resumed run): the saved priority is the configured one, not 254.
        assertThat(holder.run(switchover).exitCode()).isZero();
        assertThat(java.nio.file.Files.readString(dir.resolve("keepalived.conf.priority.ha-upgrade"))).isEqualTo("140\n");

        // Failback runs on the current master (n2, the peer of the switchover): restores 140; the VIP leaves.
        String failback = rendered(local, Phase.FAILBACK, "n2", "n2", "n1").get(0);
        FakeTools released = new FakeTools(dir.resolve("released")).tool("ip", "exit 0");
        assertThat(released.run(failback).exitCode()).isZero();
        assertThat(java.nio.file.Files.readString(conf)).contains("    priority 140\n").doesNotContain("254");
        assertThat(dir.resolve("keepalived.conf.priority.ha-upgrade")).doesNotExist();
        // Nothing saved (failback already done): nothing changed; a node still holding the VIP is an error.
        assertThat(released.run(failback).exitCode()).isZero();
        FakeTools.Result stuck = holder.run(failback.replace("seq 100", "seq 3"));
        assertThat(stuck.exitCode()).isEqualTo(1);
        assertThat(stuck.stderr()).contains("this node still holds the VIP");
    }

    @Test
    void keepalivedFenceStopsKeepalivedAndTheNodeCheckAcceptsItWhileFenced() throws Exception {
        Path conf = dir.resolve("keepalived.conf");
        ClusterSpec local = load(cluster("profile: {name: keepalived, settings: {vip: 198.51.100.10, configFile: " + conf
                + ", pidFile: " + dir.resolve("none.pid") + "}}"));
        FakeTools tools = new FakeTools(dir.resolve("tools")).tool("ip", "exit 0").tool("systemctl", "exit 0");
        assertThat(tools.run(rendered(local, Phase.FENCE, "n2", "n1", null).get(0)).exitCode()).isZero();
        assertThat(tools.calls()).endsWith("systemctl stop keepalived\n");
        List<CommandSpec> check = List.of(CommandSpec.of(local.health().node().stream()
                .filter(c -> c.name().equals("keepalived running")).findFirst().orElseThrow().command().run()));
        assertThat(tools.run(render(local, check, "n2", null, null, true).get(0)).exitCode())
                .as("keepalived stopped by this run's fence").isZero();
        assertThat(tools.run(render(local, check, "n2", null, null, false).get(0)).exitCode())
                .as("keepalived not running, and this run does not hold the node fenced").isNotZero();
        // Nothing on the node says "fenced": a run that died cannot leave a marker that fools the next one.
        try (var files = java.nio.file.Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString())).noneMatch(f -> f.contains("ha-upgrade"));
        }
    }

    @Test
    void keepalivedSyncBlockFencesReplicationOnThePrimary() throws Exception {
        ClusterSpec spec = load(cluster("profile: {name: keepalived, settings: {vip: 198.51.100.10, syncBlock: \"true\"}}"));
        List<CommandSpec> fence = spec.commands().fence();
        assertThat(fence).extracting(CommandSpec::on).containsExactly("self", "primary", "primary");
        assertThat(rendered(spec, Phase.FENCE, "n2", "n1", null)).containsExactly(
                rendered(spec, Phase.FENCE, "n2", "n1", null).get(0),
                "eval 'pkill -9 -f '\\''zeninotify.*enterprise.bin'\\'' || true'",
                "h=192.0.2.12; grep -qxF \"sshd: $h\" /etc/hosts.deny || echo \"sshd: $h\" >> /etc/hosts.deny");
        FakeTools tools = new FakeTools(dir).tool("pkill", "exit 1");
        assertThat(tools.run(rendered(spec, Phase.FENCE, "n2", "n1", null).get(1)).exitCode()).isZero();
        assertThat(tools.calls()).isEqualTo("pkill -9 -f zeninotify.*enterprise.bin\n");
        // Undo in reverse order: the SSH block is lifted after keepalived runs again.
        assertThat(spec.commands().unfence()).extracting(CommandSpec::on).containsExactly("primary", "self");
    }

    @Test
    void kubernetesDrainsAndUncordonsFromTheKubectlNode() {
        ClusterSpec spec = load(cluster("profile: {name: kubernetes, settings: {kubectlNode: n1, drainTimeout: 15m, "
                + "runtimeUnit: planet-master}}"));
        List<CommandSpec> fence = spec.commandsFor(spec.node("n2"), Phase.FENCE);
        assertThat(fence).extracting(CommandSpec::on).containsExactly("n1", "self");
        assertThat(rendered(spec, Phase.FENCE, "n2", null, null).get(0))
                .isEqualTo("kubectl drain n2 --ignore-daemonsets --delete-emptydir-data --timeout=15m");
        assertThat(rendered(spec, Phase.FENCE, "n2", null, null).get(1)).contains("awk -v p=planet-master");
        assertThat(rendered(spec, Phase.REBOOT, "n2", null, null)).containsExactly("systemctl reboot");
        assertThat(rendered(spec, Phase.VERIFY, "n2", null, null).get(0)).startsWith("test -z \"$(systemctl --failed --plain --no-legend)\"");
        assertThat(rendered(spec, Phase.UNFENCE, "n2", null, null).get(1)).startsWith("n=n2\n").endsWith("kubectl uncordon \"$n\"\n");
        assertThat(spec.commands().unfence()).extracting(CommandSpec::on).containsExactly("self", "n1");
        assertThat(spec.health().node().get(0).command().on()).isEqualTo("n1");
    }

    @Test
    void kubernetesPodCheckListsOnlyPodsOutsideRunningOrCompletedInTheChosenNamespaces() throws Exception {
        ClusterSpec spec = load(cluster("profile: {name: kubernetes, settings: {kubectlNode: n1, namespaces: kube-system web}}"));
        String check = render(spec, List.of(CommandSpec.of(spec.health().cluster().get(0).command().run())), "n1", null, null).get(0);
        FakeTools tools = new FakeTools(dir).tool("kubectl", """
                cat <<'PODS'
                kube-system   coredns-5d78c9869d-abcde   1/1   Running     0     3d
                kube-system   etcd-cp-1                  1/1   Running     2     3d
                web           shop-7f9c6b5d4-xyz12       0/1   Pending     0     1m
                web           migrate-28471-q8z          0/1   Completed   0     2h
                batch         cleanup-1-zz9              0/1   Error       0     1h
                PODS""");
        FakeTools.Result result = tools.run(check);
        assertThat(result.stdout()).isEqualTo("web           shop-7f9c6b5d4-xyz12       0/1   Pending     0     1m\n");
        assertThat(result.stdout()).containsPattern(spec.health().cluster().get(0).command().outputExcludes());
    }

    @Test
    void raftMovesLeadershipWithEtcdctlAndWaitsForIt() throws Exception {
        ClusterSpec spec = load(cluster("profile: raft"));
        List<String> switchover = rendered(spec, Phase.SWITCHOVER, "n1", "n1", "n2");
        FakeTools tools = new FakeTools(dir).tool("etcdctl", """
                case "$*" in
                  *192.0.2.12:2379\\ endpoint\\ status*) echo '192.0.2.12:2379, 8e9e05c52164694d, 3.4.23, 20 kB, false, false, 2, 8, 8, ' ;;
                  *192.0.2.11:2379\\ endpoint\\ status*) echo '192.0.2.11:2379, 91bc3c398fb3c146, 3.4.23, 20 kB, false, false, 3, 9, 9, ' ;;
                esac""");
        for (String command : switchover) {
            FakeTools.Result result = tools.run(command);
            assertThat(result.exitCode()).as(command + "\n" + result.stderr()).isZero();
        }
        assertThat(tools.calls()).contains("etcdctl --endpoints=192.0.2.11:2379 move-leader 8e9e05c52164694d\n");
        assertThat(switchover.get(0)).isEqualTo("eval 'env -u ETCDCTL_ENDPOINTS etcdctl --endpoints=192.0.2.11:2379 "
                + "move-leader $(env -u ETCDCTL_ENDPOINTS etcdctl --endpoints=192.0.2.12:2379 endpoint status -w simple "
                + "| cut -d, -f2 | tr -d '\\'' '\\'')'");
        assertThat(spec.policy().quorum()).isTrue();
    }

    @Test
    void raftLeaderDetectionRunsTheLeaderCommandOfTheNode() throws Exception {
        ClusterSpec spec = load(cluster("profile: {name: raft, settings: {leaderCommand: 'onezone show 0 | grep -w ${node.name} | grep -qw leader'}}"));
        String role = render(spec, List.of(spec.discovery().role().command()), "n2", null, null).get(0);
        FakeTools tools = new FakeTools(dir).tool("onezone", "printf '%s\\n' ' 0 n1 follower 2 10 10' ' 1 n2 leader 2 10 10'");
        assertThat(tools.run(role).stdout()).isEqualTo("leader\n");
        String other = render(spec, List.of(spec.discovery().role().command()), "n1", null, null).get(0);
        assertThat(tools.run(other).stdout()).isEqualTo("follower\n");
    }
}
