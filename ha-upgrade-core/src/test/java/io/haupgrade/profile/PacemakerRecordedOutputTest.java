package io.haupgrade.profile;

import static io.haupgrade.profile.ProfileSpecs.cluster;
import static io.haupgrade.profile.ProfileSpecs.load;
import static io.haupgrade.profile.ProfileSpecs.render;
import static org.assertj.core.api.Assertions.assertThat;

import io.haupgrade.spec.ClusterSpec;
import io.haupgrade.spec.CommandCheckSpec;
import io.haupgrade.spec.HealthCheckSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The pacemaker profile's health checks and role detection against recorded outputs of Pacemaker 2.1
 * ({@code crm_mon -1 --inactive --output-as=xml}, {@code crm_resource --locate}): two nodes, a group (vip, httpd)
 * on server1, a ping clone, a disabled resource.
 */
@Timeout(60)
class PacemakerRecordedOutputTest {
    private static final ClusterSpec SPEC = load(cluster("profile: {name: pacemaker, settings: {resource: web}}"));

    @TempDir
    Path dir;

    static String recorded(String name) throws IOException {
        try (InputStream in = PacemakerRecordedOutputTest.class.getResourceAsStream("pacemaker/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** What the gate concludes from one output: the check's outputMatches must be found, its outputExcludes not. */
    private static boolean passes(CommandCheckSpec check, String output) {
        boolean matches = check.outputMatches() == null || Pattern.compile(check.outputMatches()).matcher(output).find();
        boolean excluded = check.outputExcludes() != null && Pattern.compile(check.outputExcludes()).matcher(output).find();
        return matches && !excluded;
    }

    private static Map<String, Boolean> gate(String sample) throws IOException {
        String output = recorded(sample + ".xml");
        return SPEC.health().node().stream().collect(Collectors.toMap(HealthCheckSpec::name,
                c -> passes(c.command(), output), (a, b) -> a, java.util.TreeMap::new));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // sample,              nodes online, no failed actions, resources started
        "healthy,               true,  true,  true",
        "standby,               false, true,  false",
        "node-maintenance,      false, true,  true",
        "offline,               false, true,  false",
        "vip-stopped,           true,  true,  false",
        "failed-action,         true,  false, false",
        "cluster-maintenance,   true,  true,  true",
    })
    void gateOnRecordedClusterStates(String sample, boolean online, boolean noFailures, boolean started) throws IOException {
        assertThat(gate(sample)).containsExactlyEntriesOf(new java.util.TreeMap<>(Map.of(
                "all nodes online", online, "no failed actions", noFailures, "resources started", started)));
    }

    @Test
    void aResourceStoppedOnPurposeIsNotAFailure() throws IOException {
        String healthy = recorded("healthy.xml");
        assertThat(healthy).contains("id=\"report\"", "role=\"Stopped\" target_role=\"Stopped\"");
        assertThat(gate("healthy")).containsEntry("resources started", true);
    }

    @Test
    void theChecksRunTheCommandsThatProduceThoseOutputs() {
        assertThat(SPEC.health().cluster()).isEmpty();
        assertThat(SPEC.health().node()).extracting(c -> c.command().run()).containsExactly(
                "crm_mon -1 --output-as=xml", "crm_mon -1 --output-as=xml", "crm_mon -1 --inactive --output-as=xml");
        assertThat(SPEC.health().node()).extracting(c -> c.command().on()).containsOnly((String) null);
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
    void nodeMaintenanceRecordsTheResourcesOfTheNodeFromCrmMon() throws Exception {
        ClusterSpec spec = load(cluster("profile: {name: pacemaker, settings: {resource: web, fence: node-maintenance}}"));
        String record = render(spec, List.of(spec.commands().fence().get(1)), "n1", null, null).get(0);
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
