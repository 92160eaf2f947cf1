package io.jenkins.plugins.haupgrade;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.util.StreamTaskListener;
import io.haupgrade.execute.Rollout;
import io.haupgrade.execute.RunEvent;
import io.haupgrade.journal.Journal;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The protocol between controller and agent without Jenkins around it: stretches of one run against real SSH nodes,
 * the controller's journal fed only through {@link JournalMirror}, each stretch starting from that journal alone
 * (as after a restart), approvals answered between stretches, a stop at an approval.
 */
@Timeout(120)
class RolloutSegmentTest {
    private static final String RUN = "sim-test-1";

    @TempDir
    Path tmp;

    private ClusterFixture cluster;
    private Path journal;
    private ByteArrayOutputStream console;

    @BeforeEach
    void start() throws Exception {
        cluster = ClusterFixture.start(tmp.resolve("cluster"), 3);
        journal = tmp.resolve("build/journal.jsonl");
        Files.createDirectories(journal.getParent());
        console = new ByteArrayOutputStream();
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    private UpgradeSettings settings(String submitter) {
        return new UpgradeSettings("unused", null, "key", null, null, "before-switchover", submitter, null, null,
                false, false);
    }

    private SegmentResult stretch(String yaml, UpgradeSettings settings, RolloutSegment.Start start)
            throws Exception {
        AgentCredentials credentials = new AgentCredentials(Map.of("key", AgentCredentials.Entry.key(cluster.user(),
                cluster.privateKey(), ClusterFixture.PASSPHRASE)), "key", null, null);
        StreamTaskListener listener = new StreamTaskListener(console, StandardCharsets.UTF_8);
        return new RolloutSegment(settings, yaml, credentials, start, new JournalMirror.ToFile(journal), listener)
                .call();
    }

    private byte[] journal() throws Exception {
        return Files.readAllBytes(journal);
    }

    @Test
    void anApprovalEndsTheStretchAndTheAnswerContinuesFromTheControllersJournal() throws Exception {
        String hooks = "hooks:\n  beforeAll:\n    - run: 'echo \"passphrase is $(cat ../secret)\"'\n";
        String yaml = cluster.yaml("", hooks);
        UpgradeSettings settings = settings("alice");

        SegmentResult first = stretch(yaml, settings, RolloutSegment.Start.run(RUN, "carol", "test", null));

        assertThat(first.kind).isEqualTo(SegmentResult.Kind.AWAITING_APPROVAL);
        assertThat(first.pending.getPoint()).isEqualTo("before-switchover");
        assertThat(first.pending.getSubmitters()).containsExactly("alice");
        assertThat(cluster.read("n2", "version")).isEqualTo(ClusterFixture.TARGET);
        assertThat(cluster.read("n3", "version")).isEqualTo(ClusterFixture.TARGET);
        assertThat(cluster.read("n1", "version")).isEqualTo(ClusterFixture.FROM);
        List<RunEvent> recorded = Journal.read(journal, RunEvent.class);
        assertThat(recorded).anyMatch(e -> e instanceof RunEvent.ApprovalRequested);
        assertThat(recorded).allMatch(RunEvent::durable);

        SegmentResult refused = stretch(yaml, settings, RolloutSegment.Start.answer(RUN, "test", journal(),
                first.pending.getRequestId(), "proceed", "mallory", List.of("devs"), null, null));
        assertThat(refused.kind).isEqualTo(SegmentResult.Kind.ANSWER_REFUSED);
        assertThat(refused.summary).contains("mallory may not approve");
        assertThat(refused.pending.getRequestId()).isEqualTo(first.pending.getRequestId());
        assertThat(cluster.read("n1", "version")).isEqualTo(ClusterFixture.FROM);

        SegmentResult end = stretch(yaml, settings, RolloutSegment.Start.answer(RUN, "test", journal(),
                first.pending.getRequestId(), "proceed", "alice", List.of(), null, "looks good"));

        assertThat(end.kind).isEqualTo(SegmentResult.Kind.FINISHED);
        assertThat(end.status).isEqualTo("SUCCEEDED");
        for (String node : new String[] {"n1", "n2", "n3"}) {
            assertThat(cluster.read(node, "version")).as(node).isEqualTo(ClusterFixture.TARGET);
            assertThat(cluster.read(node, "fence")).as(node).isNull();
        }
        assertThat(cluster.log().stream().filter(l -> l.equals("n2 upgrade")).count()).isEqualTo(1);
        assertThat(end.reportJson).contains("alice").contains("looks good");
        assertThat(end.reportHtml).contains("<svg");
        assertThat(Journal.read(journal, RunEvent.class)).last().isInstanceOf(RunEvent.RunFinished.class);

        String out = console.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("passphrase is ****").doesNotContain(ClusterFixture.PASSPHRASE);
        assertThat(Files.readString(journal)).doesNotContain(ClusterFixture.PASSPHRASE);
        assertThat(end.reportJson + end.reportHtml).doesNotContain(ClusterFixture.PASSPHRASE);
    }

    /** Jenkins admitted an administrator the submitters do not name: the engine takes its word and says so. */
    @Test
    void anApproverJenkinsAdmittedOtherwiseIsAcceptedAndReportedAsAdmitted() throws Exception {
        String yaml = cluster.yaml("", "");
        UpgradeSettings settings = settings("alice");
        SegmentResult first = stretch(yaml, settings, RolloutSegment.Start.run(RUN, "carol", "test", null));
        assertThat(first.kind).isEqualTo(SegmentResult.Kind.AWAITING_APPROVAL);

        SegmentResult end = stretch(yaml, settings, RolloutSegment.Start.answer(RUN, "test", journal(),
                first.pending.getRequestId(), "proceed", "root", List.of(), "Jenkins administrator", null));

        assertThat(end.kind).isEqualTo(SegmentResult.Kind.FINISHED);
        assertThat(end.status).isEqualTo("SUCCEEDED");
        assertThat(end.reportJson).contains("\"admittedAs\" : \"Jenkins administrator\"");
        assertThat(end.reportHtml).contains("root (admitted as Jenkins administrator)");
        assertThat(console.toString(StandardCharsets.UTF_8)).contains("by root (admitted as Jenkins administrator)");
    }

    @Test
    void aStopAtTheApprovalEndsTheRunAbortedWithoutTouchingThePrimary() throws Exception {
        String yaml = cluster.yaml("", "");
        UpgradeSettings settings = settings(null);
        SegmentResult first = stretch(yaml, settings, RolloutSegment.Start.run(RUN, "carol", "test", null));
        assertThat(first.kind).isEqualTo(SegmentResult.Kind.AWAITING_APPROVAL);

        SegmentResult end = stretch(yaml, settings, RolloutSegment.Start.stop(RUN, "test", journal(), "carol",
                "build aborted"));

        assertThat(end.kind).isEqualTo(SegmentResult.Kind.FINISHED);
        assertThat(end.status).isEqualTo("ABORTED");
        assertThat(cluster.read("n1", "version")).isEqualTo(ClusterFixture.FROM);
        assertThat(cluster.log()).noneMatch(line -> line.startsWith("n1 "));
        for (String node : new String[] {"n1", "n2", "n3"}) {
            assertThat(cluster.read(node, "fence")).as(node).isNull();
        }
        assertThat(Files.readString(journal)).contains("\"type\":\"cancel-requested\"")
                .contains("\"type\":\"run-finished\"");
    }

    @Test
    void aRunThatIsOverIsReportedOverWhenResumedAgain() throws Exception {
        String yaml = cluster.yaml("", "");
        UpgradeSettings settings = new UpgradeSettings("unused", null, "key", null, null, "none", null, null, null,
                false, false);
        SegmentResult end = stretch(yaml, settings, RolloutSegment.Start.run(RUN, "carol", "test", null));
        assertThat(end.status).isEqualTo("SUCCEEDED");
        int commands = cluster.log().size();

        SegmentResult again = stretch(yaml, settings, RolloutSegment.Start.run(RUN, "carol", "test", journal()));

        assertThat(again.kind).isEqualTo(SegmentResult.Kind.FINISHED);
        assertThat(again.status).isEqualTo("SUCCEEDED");
        assertThat(cluster.log()).hasSize(commands);
        assertThat(Rollout.JOURNAL).isEqualTo(journal.getFileName().toString());
    }
}
