package io.haupgrade.profile;

import static io.haupgrade.profile.ProfileSpecs.cluster;
import static io.haupgrade.profile.ProfileSpecs.load;
import static io.haupgrade.profile.ProfileSpecs.render;
import static org.assertj.core.api.Assertions.assertThat;

import io.haupgrade.health.CheckResult;
import io.haupgrade.health.ClusterView;
import io.haupgrade.health.CommandCheck;
import io.haupgrade.health.NodeCommandRunner;
import io.haupgrade.spec.ClusterSpec;
import io.haupgrade.spec.CommandSpec;
import io.haupgrade.spec.HealthCheckSpec;
import io.haupgrade.ssh.CommandResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The pacemaker profile's health checks and role detection, run as the engine runs them (the rendered command through
 * {@link CommandCheck}, with {@code crm_mon} and {@code crm_resource} printing a recorded output), against two sets of
 * outputs: hand-written samples in the format of Pacemaker 2.1 ({@code pacemaker/*}: two nodes server1 and server2, a
 * group vip+httpd on server1, a ping clone, a disabled resource), and real captures from the Pacemaker 2.1.5 lab
 * ({@code pacemaker/lab/*}, how each was made in its README: nodes n1..n3, a service clone and a VIP on n1).
 */
@Timeout(60)
class PacemakerRecordedOutputTest {
    private static final ClusterSpec SPEC = load(cluster("profile: {name: pacemaker, settings: {resource: web}}"));
    /** A spec with the lab's node names, to render the checks for n1..n3. */
    private static final ClusterSpec LAB_SPEC = load("name: lab\nprofile: {name: pacemaker, settings: {resource: vip}}\n"
            + "nodes:\n  - {name: n1, host: 192.0.2.11}\n  - {name: n2, host: 192.0.2.12}\n  - {name: n3, host: 192.0.2.13}\n"
            + "commands: {upgrade: apt-get install -y app}\n");
    private static final ClusterSpec SAMPLE_SPEC = load("name: c\nprofile: {name: pacemaker, settings: {resource: web}}\n"
            + "nodes:\n  - {name: server1, host: 192.0.2.71}\n  - {name: server2, host: 192.0.2.72}\n"
            + "commands: {upgrade: yum -y update httpd}\n");

    @TempDir
    Path dir;

    static String recorded(String name) throws IOException {
        try (InputStream in = PacemakerRecordedOutputTest.class.getResourceAsStream("pacemaker/" + name)) {
            if (in == null) {
                throw new IOException("no recorded output pacemaker/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /**
     * What each node check concludes on {@code node} when crm_mon prints {@code sample}: the check's command rendered
     * for the node and run by /bin/sh, judged by {@link CommandCheck} (exit code, outputMatches, outputExcludes).
     */
    private Map<String, Boolean> gate(ClusterSpec spec, String sample, String node) throws IOException {
        Path xml = dir.resolve(sample.replace('/', '-'));
        Files.writeString(xml, recorded(sample));
        FakeTools tools = new FakeTools(dir.resolve("tools-" + node)).tool("crm_mon", "cat '" + xml + "'");
        NodeCommandRunner runner = (target, subject, command) -> {
            String line = render(spec, List.of(command), subject, null, null).get(0);
            try {
                FakeTools.Result r = tools.run(line);
                return new CommandResult(r.exitCode(), r.stdout(), r.stderr(), 0, Duration.ZERO, false);
            } catch (IOException | InterruptedException e) {
                throw new AssertionError("cannot run " + line, e);
            }
        };
        ClusterView view = new ClusterView(Map.of(), Map.of());
        Map<String, Boolean> verdicts = new TreeMap<>();
        for (HealthCheckSpec check : spec.health().node()) {
            CheckResult result = new CommandCheck(check.name(), check.command(), Duration.ofSeconds(20), runner)
                    .check(node, view);
            verdicts.put(check.name(), result.passed());
        }
        return verdicts;
    }

    private static Map<String, Boolean> verdicts(boolean online, boolean noFailures, boolean started) {
        return new TreeMap<>(Map.of("all nodes online", online, "no failed actions", noFailures,
                "resources started", started));
    }

    @ParameterizedTest(name = "{0} seen from {1}")
    @CsvSource({
        // sample,              node,    nodes online, no failed actions, resources started
        "healthy.xml,             server1, true,  true,  true",
        "standby.xml,             server1, false, true,  false",
        "node-maintenance.xml,    server1, false, true,  true",
        "offline.xml,             server1, false, true,  false",
        "vip-stopped.xml,         server1, true,  true,  false",
        "failed-action.xml,       server1, true,  false, false",
        "cluster-maintenance.xml, server1, true,  true,  true",
        // verify runs the checks on the fenced node itself: its own standby or maintenance is its fence
        "standby.xml,             server2, true,  true,  true",
        "node-maintenance.xml,    server2, true,  true,  true",
        "offline.xml,             server2, false, true,  false",
    })
    void gateOnHandWrittenClusterStates(String sample, String node, boolean online, boolean noFailures, boolean started)
            throws IOException {
        assertThat(gate(SAMPLE_SPEC, sample, node)).containsExactlyEntriesOf(verdicts(online, noFailures, started));
    }

    @ParameterizedTest(name = "lab/{0} seen from {1}")
    @CsvSource({
        // sample,                  node, nodes online, no failed actions, resources started
        "healthy.xml,             n1,   true,  true,  true",
        "healthy.xml,             n3,   true,  true,  true",
        // n2 in standby: its clone instance is stopped; a failure for everyone but n2 itself (its verify)
        "standby.xml,             n1,   false, true,  false",
        "standby.xml,             n3,   false, true,  false",
        "standby.xml,             n2,   true,  true,  true",
        // n3 in maintenance: its instance still runs, unmanaged
        "node-maintenance.xml,    n1,   false, true,  true",
        "node-maintenance.xml,    n3,   true,  true,  true",
        "failed-action.xml,       n1,   true,  false, true",
        "vip-stopped.xml,         n1,   true,  true,  false",
        "vip-disabled.xml,        n1,   true,  true,  true",
        "cluster-maintenance.xml, n1,   true,  true,  true",
        "offline.xml,             n1,   false, true,  false",
        "offline.xml,             n3,   false, true,  false",
    })
    void gateOnRealClusterStatesRecordedInTheLab(String sample, String node, boolean online, boolean noFailures,
            boolean started) throws IOException {
        assertThat(gate(LAB_SPEC, "lab/" + sample, node)).containsExactlyEntriesOf(verdicts(online, noFailures, started));
    }

    @Test
    void theChecksSayWhatIsWrongInTheirOutput() throws IOException {
        Path xml = dir.resolve("standby.xml");
        Files.writeString(xml, recorded("lab/standby.xml"));
        FakeTools tools = new FakeTools(dir).tool("crm_mon", "cat '" + xml + "'");
        List<String> checks = LAB_SPEC.health().node().stream().map(c -> CommandSpec.of(c.command().run()))
                .map(c -> render(LAB_SPEC, List.of(c), "n1", null, null).get(0)).toList();
        assertThat(run(tools, checks.get(0))).isEqualTo("1 node n2: standby\n");
        assertThat(run(tools, checks.get(2))).isEqualTo("1 clone instance of app stopped (1)\n");
        Files.writeString(xml, recorded("lab/offline.xml"));
        assertThat(run(tools, checks.get(0))).isEqualTo("1 node n3: offline\n");
        Files.writeString(xml, recorded("lab/vip-stopped.xml"));
        assertThat(run(tools, checks.get(2))).isEqualTo("1 resource vip stopped\n");
        Files.writeString(xml, "Could not connect to the CIB: Transport endpoint is not connected\n");
        assertThat(run(tools, checks.get(0))).isEqualTo("1 no <nodes> in the output of crm_mon\n");
        assertThat(run(tools, checks.get(2))).isEqualTo("1 no <nodes> in the output of crm_mon\n");
    }

    private static String run(FakeTools tools, String command) {
        try {
            FakeTools.Result r = tools.run(command);
            return r.exitCode() + " " + r.stdout();
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aResourceStoppedOnPurposeIsNotAFailure() throws IOException {
        String healthy = recorded("healthy.xml");
        assertThat(healthy).contains("id=\"report\"", "role=\"Stopped\" target_role=\"Stopped\"");
        assertThat(gate(SAMPLE_SPEC, "healthy.xml", "server1")).containsEntry("resources started", true);
        assertThat(recorded("lab/vip-disabled.xml")).contains("role=\"Stopped\" target_role=\"Stopped\"");
    }

    @Test
    void theChecksRunTheCommandsThatProduceThoseOutputs() {
        assertThat(SPEC.health().cluster()).isEmpty();
        assertThat(SPEC.health().node()).extracting(c -> c.command().run().lines().filter(l -> l.startsWith("crm_mon"))
                .findFirst().orElseThrow()).containsExactly("crm_mon -1 --output-as=xml | awk -v self=${node.name} '",
                        "crm_mon -1 --output-as=xml | awk '", "crm_mon -1 --inactive --output-as=xml | awk -v self=${node.name} '");
    }

    /**
     * With upgradePacemaker the fence stops Pacemaker: the checks pass there while this run holds the node fenced
     * (${node.fenced}), and only then.
     */
    @Test
    void theChecksPassOnANodeWhosePacemakerTheFenceStopped() throws IOException {
        FakeTools tools = new FakeTools(dir).tool("crm_mon", "echo 'crm_mon: Connection to cluster failed: Transport endpoint is not connected' >&2; exit 102");
        List<CommandSpec> specs = LAB_SPEC.health().node().stream().map(c -> CommandSpec.of(c.command().run())).toList();
        List<String> notFenced = specs.stream().map(c -> render(LAB_SPEC, List.of(c), "n2", null, null, false).get(0))
                .toList();
        assertThat(notFenced).allSatisfy(c -> assertThat(run(tools, c)).isEqualTo("1 no <nodes> in the output of crm_mon\n"));
        List<String> checks = specs.stream().map(c -> render(LAB_SPEC, List.of(c), "n2", null, null, true).get(0))
                .toList();
        assertThat(checks).allSatisfy(c -> assertThat(run(tools, c))
                .isEqualTo("0 Pacemaker is stopped on this node by its fence (upgradePacemaker)\n"));
        // Fenced by this run, but Pacemaker answers: its state is checked as usual.
        Path xml = dir.resolve("standby.xml");
        Files.writeString(xml, recorded("lab/standby.xml"));
        tools.tool("crm_mon", "cat '" + xml + "'");
        assertThat(run(tools, checks.get(0).replace("self=n2", "self=n1"))).isEqualTo("1 node n2: standby\n");
        assertThat(SPEC.health().node()).extracting(c -> c.command().on()).containsOnly((String) null);
    }

    @ParameterizedTest(name = "lab/{0} on {1}")
    @CsvSource({
        "locate-vip.txt,                n1, primary",
        "locate-vip.txt,                n2, standby",
        "locate-vip.txt,                n3, standby",
        // crm_resource says "NOT running" on standard error: no primary anywhere
        "locate-vip-stopped.stderr.txt, n1, standby",
        // a clone running everywhere makes every node primary (docs/profiles/pacemaker.md: name the VIP instead)
        "locate-clone.txt,              n1, primary",
        "locate-clone.txt,              n2, primary",
        "locate-clone.txt,              n3, primary",
    })
    void roleFromRealCrmResourceLocate(String sample, String node, String role) throws Exception {
        Path output = dir.resolve(sample);
        Files.writeString(output, recorded("lab/" + sample));
        String command = render(LAB_SPEC, List.of(LAB_SPEC.discovery().role().command()), node, null, null).get(0);
        FakeTools tools = new FakeTools(dir).tool("crm_resource",
                "cat '" + output + "'" + (sample.contains(".stderr.") ? " >&2" : ""));

        FakeTools.Result result = tools.run(command);

        assertThat(result.stdout()).isEqualTo(role + "\n");
        assertThat(tools.calls()).isEqualTo("crm_resource --resource vip --locate\n");
    }

    @ParameterizedTest(name = "{0} on {1}")
    @CsvSource({
        "locate-server1.txt,  server1, primary",
        "locate-server1.txt,  server2, standby",
        "locate-promoted.txt, server1, primary",
        "locate-promoted.txt, server2, standby",
        "locate-none.txt,     server1, standby",
    })
    void roleFromCrmResourceLocate(String sample, String node, String role) throws Exception {
        ClusterSpec spec = load("name: c\nprofile: {name: pacemaker, settings: {resource: web}}\nnodes:\n"
                + "  - {name: server1, host: 192.0.2.71}\n  - {name: server2, host: 192.0.2.72}\n"
                + "commands: {upgrade: yum -y update httpd}\n");
        Path output = dir.resolve(sample);
        Files.writeString(output, recorded(sample));
        String command = render(spec, List.of(spec.discovery().role().command()), node, null, null).get(0);
        FakeTools tools = new FakeTools(dir).tool("crm_resource", "cat '" + output + "'");

        FakeTools.Result result = tools.run(command);

        assertThat(result.stdout()).isEqualTo(role + "\n");
        assertThat(tools.calls()).isEqualTo("crm_resource --resource web --locate\n");
        assertThat(Pattern.compile(spec.discovery().role().primaryPattern()).matcher(result.stdout()).find())
                .isEqualTo(role.equals("primary"));
    }

    @Test
    void switchoverWaitsUntilThePrimaryResourceRunsElsewhere() throws Exception {
        ClusterSpec spec = load("name: c\nprofile: {name: pacemaker, settings: {resource: web, dialect: pcs, settleSeconds: 1}}\n"
                + "nodes:\n  - {name: server1, host: 192.0.2.71}\n  - {name: server2, host: 192.0.2.72}\n"
                + "commands: {upgrade: yum -y update httpd}\n");
        Path located = dir.resolve("locate.txt");
        Files.writeString(located, recorded("locate-server1.txt"));
        FakeTools tools = new FakeTools(dir).tool("crm_resource", "cat '" + located + "'");
        // The resource runs on server1: a switchover away from server2 is done, one away from server1 is not.
        String awayFromServer2 = render(spec, spec.commands().switchover(), "server2", "server2", "server1").get(1);
        assertThat(tools.run(awayFromServer2).exitCode()).isZero();
        String awayFromServer1 = render(spec, spec.commands().switchover(), "server1", "server1", "server2").get(1);
        FakeTools.Result stuck = tools.run(awayFromServer1);
        assertThat(stuck.exitCode()).isEqualTo(1);
        assertThat(stuck.stderr()).isEqualTo("resource web still runs on server1 or nowhere after 1 s\n");
        // A promotable clone: done when the promoted instance is elsewhere, although an instance still runs here.
        Files.writeString(located, recorded("locate-promoted.txt"));
        assertThat(tools.run(awayFromServer2).exitCode()).isZero();
    }

    @Test
    void switchoverWaitsUntilTheVipRunsElsewhereOnRealOutput() throws Exception {
        ClusterSpec spec = load("name: lab\nprofile: {name: pacemaker, settings: {resource: vip, dialect: pcs, settleSeconds: 1}}\n"
                + "nodes:\n  - {name: n1, host: 192.0.2.11}\n  - {name: n2, host: 192.0.2.12}\n"
                + "commands: {upgrade: apt-get install -y app}\n");
        Path located = dir.resolve("locate.txt");
        Files.writeString(located, recorded("lab/locate-vip.txt"));
        FakeTools tools = new FakeTools(dir).tool("crm_resource", "cat '" + located + "'");
        // The VIP runs on n1: a switchover away from n2 is done, one away from n1 is not; the failback to n1 is.
        assertThat(tools.run(render(spec, spec.commands().switchover(), "n2", "n2", "n1").get(1)).exitCode()).isZero();
        FakeTools.Result stuck = tools.run(render(spec, spec.commands().switchover(), "n1", "n1", "n2").get(1));
        assertThat(stuck.exitCode()).isEqualTo(1);
        assertThat(stuck.stderr()).isEqualTo("resource vip still runs on n1 or nowhere after 1 s\n");
        assertThat(tools.run(render(spec, spec.commands().failback(), "n2", "n2", "n1").get(1)).exitCode()).isZero();
    }

    /** crmsh only warns when it cannot reach the node, and changes nothing: the fence checks that it took effect. */
    @ParameterizedTest(name = "{0}: {1} fenced {2}")
    @CsvSource({
        "standby,          lab/standby.xml,          n2, true",
        "standby,          lab/healthy.xml,          n2, false",
        "standby,          lab/standby.xml,          n1, false",
        "node-maintenance, lab/node-maintenance.xml, n3, true",
        "node-maintenance, lab/healthy.xml,          n3, false",
        "node-maintenance, lab/standby.xml,          n2, false",
    })
    void theFenceChecksThatPacemakerHasTheNodeOutOfService(String fence, String sample, String node, boolean fenced)
            throws Exception {
        ClusterSpec spec = load("name: lab\nprofile: {name: pacemaker, settings: {resource: vip, dialect: crmsh, fence: "
                + fence + "}}\nnodes:\n  - {name: n1, host: 192.0.2.11}\n  - {name: n2, host: 192.0.2.12}\n"
                + "  - {name: n3, host: 192.0.2.13}\ncommands: {upgrade: apt-get install -y app}\n");
        List<String> commands = ProfileSpecs.rendered(spec, io.haupgrade.spec.Phase.FENCE, node, "n1", null);
        String check = commands.stream().filter(c -> c.contains("crm_mon says so")).findFirst().orElseThrow();
        Path xml = dir.resolve("state.xml");
        Files.writeString(xml, recorded(sample));
        FakeTools.Result result = new FakeTools(dir).tool("crm_mon", "cat '" + xml + "'").run(check);
        assertThat(result.exitCode()).isEqualTo(fenced ? 0 : 1);
        assertThat(result.stderr()).isEqualTo(fenced ? "" : node + " is not in " + (fence.equals("standby") ? "standby"
                : "maintenance") + " after the " + (fence.equals("standby") ? "standby" : "maintenance")
                + " command (crm_mon says so); did the command reach the node?\n");
    }

    @Test
    void nodeMaintenanceRecordsTheResourcesOfTheNodeFromRealCrmMon() throws Exception {
        ClusterSpec spec = load(cluster("profile: {name: pacemaker, settings: {resource: vip, fence: node-maintenance}}"));
        String record = render(spec, List.of(spec.commands().fence().get(3)), "n1", null, null).get(0);
        String program = record.replace("n=n1; d=/var/lib/ha-upgrade; mkdir -p \"$d\"", "n=$NODE; d=" + dir);
        Path xml = dir.resolve("state.xml");
        FakeTools tools = new FakeTools(dir).tool("crm_mon", "cat '" + xml + "'");

        Files.writeString(xml, recorded("lab/healthy.xml"));
        assertThat(tools.run("NODE=n1; " + program).exitCode()).isZero();
        assertThat(Files.readString(dir.resolve("pacemaker-active.before"))).isEqualTo("app Started\nvip Started\n");
        assertThat(tools.run("NODE=n2; " + program).exitCode()).isZero();
        assertThat(Files.readString(dir.resolve("pacemaker-active.before"))).isEqualTo("app Started\n");
        // In maintenance the instance is unmanaged but still started: the comparison sees the same.
        Files.writeString(xml, recorded("lab/node-maintenance.xml"));
        assertThat(tools.run("NODE=n3; " + program).exitCode()).isZero();
        assertThat(Files.readString(dir.resolve("pacemaker-active.before"))).isEqualTo("app Started\n");
    }

    @Test
    void nodeMaintenanceRecordsTheResourcesOfTheNodeFromCrmMon() throws Exception {
        ClusterSpec spec = load(cluster("profile: {name: pacemaker, settings: {resource: web, fence: node-maintenance}}"));
        String record = render(spec, List.of(spec.commands().fence().get(3)), "n1", null, null).get(0);
        // The same awk program, on the recorded output, for node server1 and server2, written where the test can look.
        String program = record.replace("n=n1; d=/var/lib/ha-upgrade; mkdir -p \"$d\"", "n=$NODE; d=" + dir);
        Path xml = dir.resolve("healthy.xml");
        Files.writeString(xml, recorded("healthy.xml"));
        FakeTools tools = new FakeTools(dir).tool("crm_mon", "cat '" + xml + "'");

        assertThat(tools.run("NODE=server1; " + program).exitCode()).isZero();
        assertThat(Files.readString(dir.resolve("pacemaker-active.before"))).isEqualTo("httpd Started\nping Started\nvip Started\n");
        assertThat(tools.run("NODE=server2; " + program).exitCode()).isZero();
        assertThat(Files.readString(dir.resolve("pacemaker-active.before"))).isEqualTo("ping Started\n");
    }
}
