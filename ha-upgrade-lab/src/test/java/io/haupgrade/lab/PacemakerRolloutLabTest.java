package io.haupgrade.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.haupgrade.probe.ProbeResult;
import io.haupgrade.report.NodeReport;
import io.haupgrade.report.Outcome;
import io.haupgrade.report.RunReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The built-in {@code pacemaker} profile against real Pacemaker 2.1.5 / Corosync 3.1.7 / pcs 0.11 (the Pacemaker lab,
 * {@link LabConfig#pacemaker()}): {@code ha-upgrade run} (the CLI's shaded jar) in the lab's client namespace upgrades
 * the 3 nodes with {@code lab/cluster-pacemaker.yaml} ({@code profile: pacemaker}, resource {@code vip}, dialect pcs
 * or crmsh)
 * while the lab's probe and the engine's probe watch the VIP every 20 ms with a 200 ms timeout.
 *
 * <p>The service is a clone (an instance on every node), the VIP follows a running instance. Only the VIP moves, twice
 * (the switchover n1 to n2 and the failback): each move is an IPaddr2 stop on one node and a start on the other in one
 * Pacemaker transition, and the requests sent in between fail. Measured on this 2-core machine: see
 * {@link #MAX_FAILED_REQUESTS}.
 */
class PacemakerRolloutLabTest {
    private static final Duration RUN_LIMIT = Duration.ofSeconds(180);
    private static final String OLD = "1.0.0";
    private static final String NEW = "2.0.0";
    /**
     * The bound on failed requests of a whole rolling upgrade (two VIP moves). Pacemaker moves a primitive VIP by
     * stopping it (IPaddr2 removes the address) and then starting it elsewhere (adds it, sends gratuitous ARP); the
     * client's requests between the two fail. Measured: see docs/lab.md (Pacemaker). Not 0: closing that window would
     * need the address on both nodes for a moment, which a primitive IPaddr2 cannot do.
     */
    private static final int MAX_FAILED_REQUESTS = 10;
    private static final Pattern NODE_STATE = Pattern.compile("<node name=\"(n\\d)\" id=\"\\d+\" (online=[^>]*)/>");

    private Lab lab;
    private Set<Long> labProcesses = Set.of();

    @BeforeEach
    void startLab() {
        LabSupport.assumeLabCanRun(LabKind.PACEMAKER);
        LabTool.assumeJar();
        lab = Lab.start(LabConfig.pacemaker());
        System.out.printf("lab-measure: pacemaker lab bring-up %d ms%n", lab.bringUpTime().toMillis());
    }

    /** Tears down and proves nothing is left: no hupm-* namespace, directory or route, no process of the lab. */
    @AfterEach
    void closeLab() {
        if (lab == null) {
            return;
        }
        labProcesses = lab.processIds();
        long start = System.nanoTime();
        lab.close();
        System.out.printf("lab-measure: pacemaker lab teardown %d ms%n", (System.nanoTime() - start) / 1_000_000);
        assertThat(Lab.leftovers(LabKind.PACEMAKER)).isEmpty();
        assertThat(labProcesses).isNotEmpty().noneMatch(Lab::isRunning);
        for (String daemon : List.of("corosync", "pacemakerd", "pacemaker-based")) {
            assertThat(Commands.run(List.of("pgrep", "-x", daemon), Map.of(), Duration.ofSeconds(10)).stdout())
                    .as("%s processes after teardown", daemon).isBlank();
        }
    }

    /**
     * fence: standby. The standbys n2 and n3 first (Pacemaker stops the service instance there and starts the new
     * version at the unstandby), then the switchover of the VIP holder n1 (node standby: the VIP moves to n2, which
     * runs 2.0.0), n1 upgraded, the failback to n1.
     */
    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void standbyRollingUpgradeUpgradesTheVipHolderLastAndLosesOnlyTheVipMoves() {
        Rollout r = rollOut("standby");

        assertCommonOutcome(r);
        // Pacemaker itself stopped and started the service on every node (node standby, then unstandby; n2 once more
        // for the failback's standby): the agent's log on each node.
        Map<String, List<String>> actions = agentActions();
        assertThat(actions.get("n2")).as("n2").containsExactly("start", "stop", "start", "stop", "start");
        assertThat(actions.get("n3")).as("n3").containsExactly("start", "stop", "start");
        assertThat(actions.get("n1")).as("n1").containsExactly("start", "stop", "start");
    }

    /**
     * fence: node-maintenance. The standbys' resources stay where they are, unmanaged, while the upgrade restarts the
     * service itself (the runbook's maintenance procedure); Pacemaker neither stops nor starts them. The VIP holder is
     * switched over by node standby (and back online, runbook step 4) before its maintenance.
     */
    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void nodeMaintenanceRollingUpgradeKeepsTheResourcesInPlaceAndUpgradesTheVipHolderLast() {
        Rollout r = rollOut("node-maintenance");

        assertCommonOutcome(r);
        Map<String, List<String>> actions = agentActions();
        // n3: never stopped or started by Pacemaker after the first start: the upgrade restarted it while unmanaged.
        assertThat(actions.get("n3")).as("n3").containsExactly("start");
        // n1: stopped by the switchover's standby, started at its unstandby (before its maintenance), nothing after.
        assertThat(actions.get("n1")).as("n1").containsExactly("start", "stop", "start");
        // n2: its maintenance left it alone; the failback's standby stopped it and the unstandby started it again.
        assertThat(actions.get("n2")).as("n2").containsExactly("start", "stop", "start");
        // The services run the new version although Pacemaker did not restart them on n3: the upgrade did.
        assertThat(lab.ssh("n3", "cat /run/app.pid").stdout().strip()).isNotEqualTo(r.servicePidsBefore().get("n3"));
    }

    private record Rollout(CommandOutput run, ProbeReport witness, RunReport report, LabTool tool,
            Map<String, String> servicePidsBefore) {
    }

    /**
     * upgradePacemaker: the standby style, and the Pacemaker stack itself stopped on each node after its fence and
     * started again (and awaited online) before its unfence (runbook "Pacemaker/Corosyncのアップデート"), through the
     * lab's systemctl as in production through systemd.
     */
    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void standbyRollingUpgradeWithPacemakerItselfRestartsTheStackOnEveryNode() {
        Map<String, String> pacemakerdBefore = pacemakerdPids();
        Rollout r = rollOut("standby", true);

        assertCommonOutcome(r);
        Map<String, String> pacemakerdAfter = pacemakerdPids();
        for (LabNode node : lab.nodes()) {
            assertThat(pacemakerdAfter.get(node.name())).as(node.name()).isNotBlank()
                    .isNotEqualTo(pacemakerdBefore.get(node.name()));
            // The profile stopped and started Pacemaker through systemctl, once each, after the boot's start.
            assertThat(lab.ssh(node.name(), "cut -d' ' -f2- /var/log/systemctl.log").stdout().lines()
                    .filter(l -> l.matches("systemctl (start|stop) pacemaker")).toList()).as(node.name())
                    .containsExactly("systemctl start pacemaker", "systemctl stop pacemaker", "systemctl start pacemaker");
        }
    }

    /**
     * dialect: crmsh (crmsh 4.4), node maintenance: {@code crm node maintenance/ready} for the standbys, {@code crm node
     * standby/online} for the switchover and failback. crmsh reaches the nodes by name over root SSH (the lab's nodes
     * have /etc/hosts and each other's host keys); without that it only warns and changes nothing, which the profile's
     * fence now notices.
     */
    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void crmshNodeMaintenanceRollingUpgradeUpgradesTheVipHolderLast() {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/sbin/crm")),
                "crmsh is not installed (Debian package crmsh): the crmsh dialect is not run");
        Rollout r = rollOut("crmsh", "node-maintenance", false);

        assertCommonOutcome(r);
        Map<String, List<String>> actions = agentActions();
        assertThat(actions.get("n3")).as("n3").containsExactly("start");
        assertThat(actions.get("n1")).as("n1").containsExactly("start", "stop", "start");
        assertThat(actions.get("n2")).as("n2").containsExactly("start", "stop", "start");
        // crmsh itself ran the node commands (its log on the node that ran them).
        assertThat(lab.ssh("n2", "cat /var/log/crmsh/crmsh.log").stdout()).contains("node maintenance n2", "node ready n2")
                .doesNotContain("unreachable");
    }

    private Rollout rollOut(String fence) {
        return rollOut("pcs", fence, false);
    }

    private Rollout rollOut(String fence, boolean upgradePacemaker) {
        return rollOut("pcs", fence, upgradePacemaker);
    }

    private Rollout rollOut(String dialect, String fence, boolean upgradePacemaker) {
        String variant = dialect + "-" + fence + (upgradePacemaker ? "-stack" : "");
        LabTool tool = new LabTool(lab, pacemakerSpec(dialect, fence, upgradePacemaker, variant),
                lab.directory().resolve("run-" + variant));
        assertThat(lab.vipHolders()).containsExactly("n1");
        assertThat(nodeStates()).allSatisfy((node, state) -> assertThat(state).as(node).contains("online=\"true\"")
                .contains("standby=\"false\"").contains("maintenance=\"false\""));
        Map<String, String> pids = servicePids();
        ProbeReport witness;
        CommandOutput run;
        try (LabProbe probe = LabProbe.start(lab, LabSmokeTest.PROBE_INTERVAL, LabSmokeTest.PROBE_TIMEOUT,
                Duration.ofSeconds(300))) {
            LabSmokeTest.pause(Duration.ofMillis(300));
            run = lab.runInClient(tool.run("--yes"), RUN_LIMIT);
            LabSmokeTest.pause(Duration.ofSeconds(1));
            witness = probe.stop();
        }
        RunReport report = tool.report();
        measure(dialect + ", fence " + fence + (upgradePacemaker ? ", upgradePacemaker" : ""), run, witness, report);
        return new Rollout(run, witness, report, tool, pids);
    }

    private void assertCommonOutcome(Rollout r) {
        assertThat(r.run().exitCode()).as(r.run().describe()).isZero();
        assertThat(r.report().outcome()).isEqualTo(Outcome.SUCCEEDED);
        // The standbys first, the VIP holder last, switched over before it is touched, failed back at the end.
        assertThat(r.tool().fenceOrder()).containsExactly("n2", "n3", "n1");
        assertThat(r.tool().startedSteps()).containsSubsequence("gate:preflight", "node:n2:fence", "node:n2:verify",
                "node:n2:unfence", "node:n3:fence", "node:n3:unfence", "switchover:n1->n2", "node:n1:fence",
                "node:n1:upgrade", "node:n1:verify", "node:n1:unfence", "failback:n2->n1", "gate:final");
        assertThat(r.report().fencesHeld()).isEmpty();
        // Every node runs the new version (asked over ssh: the running service), and the report says so.
        for (LabNode node : lab.nodes()) {
            assertThat(lab.ssh(node.name(), "/opt/app/appctl version").requireSuccess("version of " + node.name())
                    .stdout().strip()).as(node.name()).isEqualTo(NEW);
        }
        assertThat(r.report().nodes()).extracting(NodeReport::name, NodeReport::versionAfter)
                .containsExactlyInAnyOrder(Tuple.tuple("n1", NEW), Tuple.tuple("n2", NEW), Tuple.tuple("n3", NEW));
        // A new service process on every node.
        Map<String, String> pidsAfter = servicePids();
        r.servicePidsBefore().forEach((node, pid) -> assertThat(pidsAfter.get(node)).as(node).isNotBlank()
                .isNotEqualTo(pid));
        // Pacemaker's view afterwards: every node online, none in standby or maintenance, no failed action, every
        // clone instance and the VIP started, the VIP back on n1.
        assertThat(nodeStates()).hasSize(3).allSatisfy((node, state) -> assertThat(state).as(node)
                .contains("online=\"true\"", "standby=\"false\"", "maintenance=\"false\"", "unclean=\"false\""));
        String status = crmMon();
        assertThat(status).doesNotContain("<failure ").doesNotContain("role=\"Stopped\"").doesNotContain("managed=\"false\"");
        assertThat(lab.ssh("n1", "crm_resource --resource vip --locate").stdout()).isEqualTo(
                "resource vip is running on: n1\n");
        assertThat(lab.vipHolders()).containsExactly("n1");
        // Through the VIP: the old version from n1 until the switchover, the new one from n2, then from n1 again.
        assertThat(r.witness().responders()).containsExactly("n1@" + OLD, "n2@" + NEW, "n1@" + NEW);
        assertThat(r.witness().total()).isGreaterThan(100);
        assertThat(r.witness().failed()).as("lab probe: " + r.witness().summary()).isLessThanOrEqualTo(MAX_FAILED_REQUESTS);
        ProbeResult engine = r.report().probe();
        assertThat(engine).as("the engine's probe result in the report").isNotNull();
        assertThat(engine.sent()).isGreaterThan(100);
        assertThat(engine.failed()).as("engine probe: %s", engine).isLessThanOrEqualTo(MAX_FAILED_REQUESTS);
        assertThat(engine.interval()).isEqualTo(Duration.ofMillis(20));
        assertThat(engine.timeout()).isEqualTo(Duration.ofMillis(200));
    }

    /** The lab's cluster file for the dialect, fence style and upgradePacemaker, written into the lab directory. */
    private Path pacemakerSpec(String dialect, String fence, boolean upgradePacemaker, String variant) {
        Path spec = lab.clusterSpec("cluster-pacemaker.yaml");
        try {
            Path file = spec.resolveSibling("cluster-pacemaker-" + variant + ".yaml");
            Files.writeString(file, Files.readString(spec).replace("@DIALECT@", dialect).replace("@FENCE@", fence)
                    .replace("@UPGRADE_PACEMAKER@", Boolean.toString(upgradePacemaker)));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String crmMon() {
        return lab.ssh("n1", "crm_mon -1 --inactive --output-as=xml").requireSuccess("crm_mon on n1").stdout();
    }

    /** Each node's attributes as crm_mon on n1 shows them in {@code <nodes>}. */
    private Map<String, String> nodeStates() {
        Map<String, String> states = new TreeMap<>();
        Matcher m = NODE_STATE.matcher(crmMon());
        while (m.find()) {
            states.put(m.group(1), m.group(2));
        }
        return states;
    }

    private Map<String, String> pacemakerdPids() {
        Map<String, String> pids = new TreeMap<>();
        lab.nodes().forEach(n -> pids.put(n.name(), lab.ssh(n.name(), "cat /run/lab-pacemaker.pid").stdout().strip()));
        return pids;
    }

    private Map<String, String> servicePids() {
        Map<String, String> pids = new TreeMap<>();
        lab.nodes().forEach(n -> pids.put(n.name(), lab.ssh(n.name(), "cat /run/app.pid").stdout().strip()));
        return pids;
    }

    /** The starts and stops Pacemaker asked of the service's agent on each node, in order (since the lab came up). */
    private Map<String, List<String>> agentActions() {
        Map<String, List<String>> actions = new TreeMap<>();
        lab.nodes().forEach(n -> actions.put(n.name(), lab.ssh(n.name(), "cat /var/log/app-agent.log").stdout()
                .lines().map(l -> l.substring(l.indexOf(' ') + 1)).toList()));
        return actions;
    }

    private static void measure(String what, CommandOutput run, ProbeReport witness, RunReport report) {
        ProbeResult engine = report.probe();
        System.out.printf("lab-measure: pacemaker %s: tool %d ms (exit %d, %s); lab probe %d sent, %d failed, longest "
                        + "outage %d ms, outages %s; engine probe %s%n", what, run.elapsed().toMillis(), run.exitCode(),
                report.outcome(), witness.total(), witness.failed(), witness.longestOutage().toMillis(),
                witness.summary(), engine == null ? "none" : engine.sent() + " sent, " + engine.failed()
                        + " failed, longest outage " + engine.longestOutage().toMillis() + " ms");
    }
}
