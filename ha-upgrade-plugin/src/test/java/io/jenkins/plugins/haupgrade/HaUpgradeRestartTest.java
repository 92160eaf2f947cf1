package io.jenkins.plugins.haupgrade;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.model.Label;
import hudson.slaves.DumbSlave;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.jvnet.hudson.test.junit.jupiter.BuildWatcherExtension;
import org.jvnet.hudson.test.junit.jupiter.JenkinsSessionExtension;

/**
 * The controller restarts in the middle of a rollout: the run continues from the journal in the build directory.
 * The SSH work runs on a real agent (a separate JVM), so a restart cuts it off as it would in production; the
 * embedded cluster lives in the test's JVM and outlives both controller sessions.
 */
class HaUpgradeRestartTest {
    private static final String LABEL = "near-cluster";

    @RegisterExtension
    static BuildWatcherExtension buildWatcher = new BuildWatcherExtension();

    @RegisterExtension
    JenkinsSessionExtension sessions = new JenkinsSessionExtension();

    @TempDir
    Path tmp;

    @Test
    @Timeout(600)
    void aRestartWhileWaitingForApprovalKeepsThePauseAndTheApprovalThenFinishesTheRun() throws Throwable {
        try (ClusterFixture cluster = ClusterFixture.start(tmp, 3)) {
            sessions.then(j -> {
                cluster.addCredentials();
                j.createOnlineSlave(Label.get(LABEL));
                WorkflowJob job = j.createProject(WorkflowJob.class, "upgrade");
                job.setDefinition(new CpsFlowDefinition(Pipelines.upgrade(LABEL,
                        cluster.yaml("approvals:\n  at: [before-switchover]\n", ""), ""), true));
                WorkflowRun build = job.scheduleBuild2(0).waitForStart();
                Pipelines.awaitApproval(build, Duration.ofMinutes(3));
                assertThat(cluster.read("n1", "version")).isEqualTo(ClusterFixture.FROM);
            });
            sessions.then(j -> {
                WorkflowRun build = j.jenkins.getItemByFullName("upgrade", WorkflowJob.class).getBuildByNumber(1);
                assertThat(build.isBuilding()).isTrue();
                j.waitOnline((DumbSlave) j.jenkins.getNode("slave0"));
                PendingApproval pending = Pipelines.awaitApproval(build, Duration.ofMinutes(1));
                assertThat(pending.getPoint()).isEqualTo("before-switchover");
                assertThat(Pipelines.answer(j, j.createWebClient(), build, pending, "proceed").getStatusCode())
                        .isEqualTo(302);
                j.assertBuildStatusSuccess(j.waitForCompletion(build));
                for (String node : new String[] {"n1", "n2", "n3"}) {
                    assertThat(cluster.read(node, "version")).as(node).isEqualTo(ClusterFixture.TARGET);
                    assertThat(cluster.read(node, "fence")).as(node).isNull();
                }
                assertThat(cluster.log().stream().filter(l -> l.equals("n2 upgrade")).count())
                        .as("done before the restart, not repeated").isEqualTo(1);
            });
        }
    }

    @Test
    @Timeout(600)
    void aRestartInTheMiddleOfAnUpgradeResumesFromTheJournalAndChecksTheStepThatWasCutOff() throws Throwable {
        try (ClusterFixture cluster = ClusterFixture.start(tmp, 3)) {
            cluster.touch("n3", "slow-upgrade");
            sessions.then(j -> {
                cluster.addCredentials();
                j.createOnlineSlave(Label.get(LABEL));
                WorkflowJob job = j.createProject(WorkflowJob.class, "upgrade");
                job.setDefinition(new CpsFlowDefinition(Pipelines.upgrade(LABEL, cluster.yaml("", ""), ""), true));
                WorkflowRun build = job.scheduleBuild2(0).waitForStart();
                Instant end = Instant.now().plus(Duration.ofMinutes(3));
                while (!cluster.log().contains("n3 upgrade")) {
                    assertThat(Instant.now()).as("n3's upgrade did not start").isBefore(end);
                    assertThat(build.isBuilding()).isTrue();
                    Thread.sleep(50);
                }
            });
            sessions.then(j -> {
                WorkflowRun build = j.jenkins.getItemByFullName("upgrade", WorkflowJob.class).getBuildByNumber(1);
                j.assertBuildStatusSuccess(j.waitForCompletion(build));
                j.assertLogContains("resuming run", build);
                for (String node : new String[] {"n1", "n2", "n3"}) {
                    assertThat(cluster.read(node, "version")).as(node).isEqualTo(ClusterFixture.TARGET);
                    assertThat(cluster.read(node, "fence")).as(node).isNull();
                }
                assertThat(cluster.log().stream().filter(l -> l.equals("n2 upgrade")).count())
                        .as("finished before the restart, not repeated").isEqualTo(1);
                assertThat(cluster.log().stream().filter(l -> l.equals("n1 upgrade")).count()).isEqualTo(1);
            });
        }
    }
}
