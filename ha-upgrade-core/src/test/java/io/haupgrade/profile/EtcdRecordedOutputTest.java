package io.haupgrade.profile;

import static io.haupgrade.profile.ProfileSpecs.load;
import static io.haupgrade.profile.ProfileSpecs.render;
import static io.haupgrade.profile.ProfileSpecs.rendered;
import static org.assertj.core.api.Assertions.assertThat;

import io.haupgrade.spec.ClusterSpec;
import io.haupgrade.spec.Phase;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The raft profile's default etcd commands, run by the real /bin/sh against a stand-in {@code etcdctl} that prints
 * outputs of etcdctl 3.4.23 (Debian bookworm etcd-client) recorded on 2026-11-23 from a 3-member cluster n1, n2, n3
 * on 127.0.0.11-13 (client port 2379, peer port 2380, static {@code --initial-cluster}, n1 the leader):
 * {@code endpoint-status-simple-nN.txt} ({@code etcdctl --endpoints=127.0.0.1N:2379 endpoint status -w simple}),
 * {@code endpoint-status-json.txt} (the three, {@code -w json}), {@code endpoint-health.txt},
 * {@code endpoint-health-stopped.txt} (n1 asked after n1 and n2 were stopped: exit 1 after 5 s),
 * {@code member-list-simple.txt}, {@code move-leader.txt} (n1 to n2), {@code member-add-refused.txt}
 * ({@code member add n4 --peer-urls=http://127.0.0.14:2380} right after the move: etcd adds a member only when every
 * member has been connected for 5 s), {@code member-add.txt} (the same 7 s after a restart),
 * {@code member-list-simple-unstarted.txt} (then: n4 unstarted, without a name), {@code member-add-again.txt} (the
 * same add once more: refused, nothing added twice), {@code member-remove.txt} (n3). The real cluster runs in
 * {@code io.haupgrade.execute.EtcdRaftProfileTest}.
 */
@Timeout(60)
class EtcdRecordedOutputTest {
    private static final String NODES = """
            nodes:
              - name: n1
                host: 127.0.0.11
              - name: n2
                host: 127.0.0.12
              - name: n3
                host: 127.0.0.13
              - name: n4
                host: 127.0.0.14
                membership: incoming
            """;

    @TempDir
    Path dir;
    ClusterSpec spec;

    @BeforeEach
    void recordedOutputs() throws IOException {
        for (String name : List.of("endpoint-status-simple-n1.txt", "endpoint-status-simple-n2.txt",
                "endpoint-status-simple-n3.txt", "endpoint-health.txt", "member-list-simple.txt", "move-leader.txt",
                "member-add-refused.txt", "member-add.txt", "member-remove.txt")) {
            try (InputStream in = EtcdRecordedOutputTest.class.getResourceAsStream("etcd/" + name)) {
                Files.write(dir.resolve(name), in.readAllBytes());
            }
        }
        spec = load("name: c\ntargetVersion: 3.5.0\nprofile: {name: raft, settings: {rejoinSeconds: '3'}}\n" + NODES + "commands:\n  upgrade: apt-get install -y etcd-server\npolicy:\n  strategy: replace\n");
    }

    /**
     * etcdctl answering from the recordings: endpoint status and health per endpoint (n1 no longer the leader once
     * move-leader ran), the member list, a member add refused once then accepted.
     */
    private FakeTools etcdctl() throws IOException {
        return new FakeTools(dir).tool("etcdctl", """
                cd '%s'
                case "$*" in
                  *move-leader*) touch moved; cat move-leader.txt ;;
                  *127.0.0.11:2379\\ endpoint\\ status*)
                    if [ -e moved ]; then sed 's/, true, false,/, false, false,/' endpoint-status-simple-n1.txt
                    else cat endpoint-status-simple-n1.txt; fi ;;
                  *127.0.0.1[23]:2379\\ endpoint\\ status*) cat endpoint-status-simple-n$(echo "$*" | sed 's/.*127.0.0.1\\([23]\\).*/\\1/').txt ;;
                  *endpoint\\ health*) cat endpoint-health.txt ;;
                  *member\\ list*) cat member-list-simple.txt ;;
                  *member\\ add*) if [ -e refused ]; then cat member-add.txt; else touch refused; cat member-add-refused.txt >&2; exit 1; fi ;;
                  *member\\ remove*) cat member-remove.txt ;;
                  *) echo "unexpected: $*" >&2; exit 9 ;;
                esac""".formatted(dir));
    }

    private String role(FakeTools tools, String node, boolean fenced) throws Exception {
        return tools.run(render(spec, List.of(spec.discovery().role().command()), node, null, null, fenced).get(0))
                .stdout();
    }

    private String role(FakeTools tools, String node) throws Exception {
        return role(tools, node, false);
    }

    @Test
    void theLeaderIsTheMemberWhoseStatusSaysSo() throws Exception {
        FakeTools tools = etcdctl();
        assertThat(role(tools, "n1")).isEqualTo("leader\n");
        assertThat(role(tools, "n2")).isEqualTo("follower\n");
        assertThat(role(tools, "n3")).isEqualTo("follower\n");
        assertThat(tools.calls()).contains("etcdctl --endpoints=127.0.0.11:2379 endpoint status -w simple\n");
    }

    @Test
    void aMemberThisRunFencedIsAFollowerAndHealthyWithoutAskingEtcd() throws Exception {
        FakeTools tools = new FakeTools(dir).tool("etcdctl", "echo 'a stopped member cannot answer' >&2; exit 1");
        assertThat(role(tools, "n1", true)).isEqualTo("follower\n");
        List<io.haupgrade.spec.CommandSpec> check = List.of(io.haupgrade.spec.CommandSpec.of(
                spec.health().node().get(0).command().run()));
        assertThat(tools.run(render(spec, check, "n1", null, null, true).get(0)).exitCode()).isZero();
        assertThat(tools.calls()).as("etcdctl was not asked").isEmpty();
        // Not fenced by this run (a run that died left it stopped): asked, and unhealthy.
        assertThat(tools.run(render(spec, check, "n1", null, null, false).get(0)).exitCode()).isEqualTo(1);
        assertThat(tools.calls()).contains("endpoint health");
    }

    @Test
    void theSwitchoverMovesTheLeadershipToThePeersIdAndWaitsUntilItLeft() throws Exception {
        FakeTools tools = etcdctl();
        for (String command : rendered(spec, Phase.SWITCHOVER, "n1", "n1", "n2")) {
            FakeTools.Result result = tools.run(command);
            assertThat(result.exitCode()).as(command + "\n" + result.stderr()).isZero();
        }
        // 1abae318bc589329 is n2's ID in its recorded status, in hexadecimal as move-leader wants it.
        assertThat(tools.calls()).contains("etcdctl --endpoints=127.0.0.11:2379 move-leader 1abae318bc589329\n");
    }

    @Test
    void joinAddsTheMemberOnTheLeaderAgainAfterARefusal() throws Exception {
        FakeTools tools = etcdctl();
        String join = rendered(spec, Phase.JOIN, "n4", "n1", null).get(0);
        FakeTools.Result result = tools.run(join);
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).contains("Member 8d35eb910ced590b added", "ETCD_INITIAL_CLUSTER_STATE=\"existing\"");
        assertThat(tools.calls()).isEqualTo(("etcdctl --endpoints=127.0.0.11:2379 member add n4 --peer-urls=http://127.0.0.14:2380\n")
                .repeat(2));
    }

    @Test
    void leaveRemovesTheMemberByTheIdItsNameHasInTheMemberList() throws Exception {
        FakeTools tools = etcdctl();
        FakeTools.Result result = tools.run(rendered(spec, Phase.LEAVE, "n3", "n1", null).get(0));
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(tools.calls()).contains("etcdctl --endpoints=127.0.0.11:2379 member list -w simple\n",
                "etcdctl --endpoints=127.0.0.11:2379 member remove ddc94412dde9164d\n");
    }
}
