package io.jenkins.plugins.haupgrade;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudbees.jenkins.plugins.sshcredentials.SSHUserPrivateKey;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import hudson.model.Item;
import hudson.model.Label;
import hudson.model.Result;
import hudson.slaves.DumbSlave;
import io.haupgrade.execute.Rollout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jenkinsci.plugins.workflow.support.actions.PauseAction;
import org.jenkinsci.plugins.workflow.support.steps.input.ApproverAction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.junit.jupiter.BuildWatcherExtension;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * {@code haUpgrade} in real Pipelines against real SSH nodes: the rolling upgrade with an approval answered over
 * HTTP, an abort at the approval, who may answer, credentials and masking.
 */
@WithJenkins
class HaUpgradeStepTest {
    private static final Duration PAUSE_LIMIT = Duration.ofMinutes(2);

    @RegisterExtension
    static BuildWatcherExtension buildWatcher = new BuildWatcherExtension();

    @TempDir
    Path tmp;

    private static void security(JenkinsRule j, WorkflowJob job) {
        j.jenkins.setSecurityRealm(j.createDummySecurityRealm());
        j.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.READ).everywhere().to("alice", "bob", "carol")
                .grant(Item.READ, Item.BUILD).onItems(job).to("alice", "bob")
                .grant(Item.READ).onItems(job).to("carol"));
    }

    @Test
    @Timeout(300)
    void rollingUpgradePausesAtTheApprovalAndTheSubmitterApprovesThroughTheApi(JenkinsRule j) throws Exception {
        try (ClusterFixture cluster = ClusterFixture.start(tmp, 3)) {
            cluster.addCredentials();
            WorkflowJob job = j.createProject(WorkflowJob.class, "upgrade");
            security(j, job);
            job.setDefinition(new CpsFlowDefinition(Pipelines.upgrade("built-in",
                    cluster.yaml("approvals:\n  at: [before-switchover]\n", ""), "submitter: 'alice'"), true));
            WorkflowRun build = job.scheduleBuild2(0).waitForStart();

            PendingApproval pending = Pipelines.awaitApproval(build, PAUSE_LIMIT);
            assertThat(pending.getPoint()).isEqualTo("before-switchover");
            assertThat(pending.getChoices()).containsExactly("proceed", "abort");
            assertThat(cluster.read("n2", "version")).isEqualTo(ClusterFixture.TARGET);
            assertThat(cluster.read("n3", "version")).isEqualTo(ClusterFixture.TARGET);
            assertThat(cluster.read("n1", "version")).as("the primary waits for the approval")
                    .isEqualTo(ClusterFixture.FROM);
            assertThat(cluster.log()).noneMatch(line -> line.startsWith("n1 "));
            j.waitForMessage("Paused for approval", build);
            // What the Pipeline saved of the paused step holds no secret.
            byte[] program = Files.readAllBytes(build.getRootDir().toPath().resolve("program.dat"));
            assertThat(new String(program, StandardCharsets.ISO_8859_1)).doesNotContain(ClusterFixture.PASSPHRASE)
                    .doesNotContain("OPENSSH PRIVATE KEY");
            assertThat(build.getExecution().getCurrentHeads()).anyMatch(PauseAction::isPaused);

            // Nobody but the submitter may proceed; the answer's verb must be a POST.
            assertThat(Pipelines.answer(j, j.createWebClient().login("bob"), build, pending, "proceed")
                    .getStatusCode()).isEqualTo(403);
            assertThat(Pipelines.answer(j, j.createWebClient().login("alice"), build, pending, "retry")
                    .getStatusCode()).isEqualTo(400);
            JenkinsRule.WebClient alice = j.createWebClient().login("alice");
            alice.setThrowExceptionOnFailingStatusCode(false);
            assertThat(alice.goTo(build.getUrl() + "ha-upgrade/approval/" + pending.getId() + "/proceed")
                    .getWebResponse().getStatusCode()).isEqualTo(405);
            assertThat(cluster.read("n1", "version")).isEqualTo(ClusterFixture.FROM);

            assertThat(Pipelines.answer(j, alice, build, pending, "proceed").getStatusCode()).isEqualTo(302);
            j.assertBuildStatusSuccess(j.waitForCompletion(build));

            for (String node : new String[] {"n1", "n2", "n3"}) {
                assertThat(cluster.read(node, "version")).as(node).isEqualTo(ClusterFixture.TARGET);
                assertThat(cluster.read(node, "fence")).as(node + " back in service").isNull();
            }
            assertThat(cluster.read("n2", "role")).isEqualTo("primary");
            j.assertLogContains("proceed by alice", build);
            j.assertLogContains("result: status=SUCCEEDED n1=2.0 n2=2.0 report=ha-upgrade/", build);
            assertThat(build.getActions(ApproverAction.class)).extracting(ApproverAction::getUserId).contains("alice");
            RunRecord record = build.getAction(HaUpgradeAction.class).getRuns().get(0);
            assertThat(record.getStatus()).isEqualTo("SUCCEEDED");
            ReportView report = build.getAction(HaUpgradeAction.class).getReport(record);
            assertThat(report.getApprovals()).singleElement()
                    .satisfies(a -> assertThat(a.get("by")).isEqualTo("alice"));
            assertThat(build.getArtifactManager().root().child("ha-upgrade/" + record.getRunId() + "/report.html")
                    .isFile()).isTrue();
            Path journal = build.getRootDir().toPath().resolve(record.getDirectory()).resolve(Rollout.JOURNAL);
            assertThat(Files.readString(journal)).contains("\"type\":\"run-finished\"")
                    .doesNotContain(ClusterFixture.PASSPHRASE);
            assertThat(j.createWebClient().login("alice").goTo(build.getUrl() + "ha-upgrade/").asNormalizedText())
                    .contains("sim", "SUCCEEDED", "alice");
            org.htmlunit.WebResponse styled = j.createWebClient().login("alice")
                    .goTo(build.getUrl() + "ha-upgrade/report?run=" + record.getRunId()).getWebResponse();
            assertThat(styled.getResponseHeaderValue("Content-Security-Policy")).contains("style-src 'unsafe-inline'");
            assertThat(styled.getContentAsString()).contains("<style>", "Approvals", "alice");
            JenkinsRule.WebClient lost = j.createWebClient().login("alice");
            lost.setThrowExceptionOnFailingStatusCode(false);
            org.htmlunit.Page unknown = lost.getPage(j.getURL() + build.getUrl() + "ha-upgrade/timeline?run=nope");
            assertThat(unknown.getWebResponse().getStatusCode()).isEqualTo(404);
        }
    }

    /**
     * On an agent the engine's console lines come through the channel: the pause must still be the last thing the
     * console shows, and an answer while the agent is away must wait for it (503), not be lost.
     */
    @Test
    @Timeout(300)
    void onAnAgentThePauseEndsTheConsoleAndAnAnswerWaitsForTheAgent(JenkinsRule j) throws Exception {
        try (ClusterFixture cluster = ClusterFixture.start(tmp, 3)) {
            cluster.addCredentials();
            DumbSlave agent = j.createOnlineSlave(Label.get("near-cluster"));
            WorkflowJob job = j.createProject(WorkflowJob.class, "upgrade");
            job.setDefinition(new CpsFlowDefinition(Pipelines.upgrade("near-cluster",
                    cluster.yaml("approvals:\n  at: [before-switchover]\n", ""), ""), true));
            WorkflowRun build = job.scheduleBuild2(0).waitForStart();
            PendingApproval pending = Pipelines.awaitApproval(build, PAUSE_LIMIT);
            j.waitForMessage("Paused for approval", build);
            String log = JenkinsRule.getLog(build);
            assertThat(log.substring(log.lastIndexOf("Paused for approval"))).as(log).doesNotContain("[ha-upgrade] ");

            agent.toComputer().disconnect(null).get();
            assertThat(Pipelines.answer(j, j.createWebClient(), build, pending, "proceed").getStatusCode())
                    .isEqualTo(503);
            assertThat(build.getAction(HaUpgradeAction.class).getRuns().get(0).getPending()).isNotNull();
            agent.toComputer().connect(false).get();
            j.waitOnline(agent);
            assertThat(Pipelines.answer(j, j.createWebClient(), build, pending, "proceed").getStatusCode())
                    .isEqualTo(302);
            j.assertBuildStatusSuccess(j.waitForCompletion(build));
            for (String node : new String[] {"n1", "n2", "n3"}) {
                assertThat(cluster.read(node, "version")).as(node).isEqualTo(ClusterFixture.TARGET);
            }
        }
    }

    @Test
    @Timeout(300)
    void anAdministratorMayApproveAsWithTheInputStepAndTheReportSaysSo(JenkinsRule j) throws Exception {
        try (ClusterFixture cluster = ClusterFixture.start(tmp, 3)) {
            cluster.addCredentials();
            WorkflowJob job = j.createProject(WorkflowJob.class, "upgrade");
            j.jenkins.setSecurityRealm(j.createDummySecurityRealm());
            j.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                    .grant(Jenkins.ADMINISTER).everywhere().to("root")
                    .grant(Jenkins.READ, Item.READ, Item.BUILD).everywhere().to("alice"));
            job.setDefinition(new CpsFlowDefinition(Pipelines.upgrade("built-in",
                    cluster.yaml("approvals:\n  at: [before-switchover]\n", ""), "submitter: 'alice'"), true));
            WorkflowRun build = job.scheduleBuild2(0).waitForStart();
            PendingApproval pending = Pipelines.awaitApproval(build, PAUSE_LIMIT);

            assertThat(Pipelines.answer(j, j.createWebClient().login("root"), build, pending, "proceed")
                    .getStatusCode()).isEqualTo(302);
            j.assertBuildStatusSuccess(j.waitForCompletion(build));

            j.assertLogContains("proceed by root (admitted as Jenkins administrator)", build);
            RunRecord record = build.getAction(HaUpgradeAction.class).getRuns().get(0);
            assertThat(build.getAction(HaUpgradeAction.class).getReport(record).getApprovals()).singleElement()
                    .satisfies(a -> assertThat(a.get("by")).isEqualTo("root (admitted as Jenkins administrator)"));
        }
    }

    @Test
    @Timeout(300)
    void anAbortAtTheApprovalStopsBeforeThePrimaryAndLeavesEveryNodeInService(JenkinsRule j) throws Exception {
        try (ClusterFixture cluster = ClusterFixture.start(tmp, 3)) {
            cluster.addCredentials();
            WorkflowJob job = j.createProject(WorkflowJob.class, "upgrade");
            security(j, job);
            job.setDefinition(new CpsFlowDefinition(Pipelines.upgrade("built-in",
                    cluster.yaml("approvals:\n  at: [before-switchover]\n", ""), "submitter: 'alice'"), true));
            WorkflowRun build = job.scheduleBuild2(0).waitForStart();
            PendingApproval pending = Pipelines.awaitApproval(build, PAUSE_LIMIT);

            assertThat(Pipelines.answer(j, j.createWebClient().login("carol"), build, pending, "abort")
                    .getStatusCode()).as("carol may neither approve nor cancel").isEqualTo(403);
            assertThat(Pipelines.answer(j, j.createWebClient().login("alice"), build, pending, "abort")
                    .getStatusCode()).isEqualTo(302);
            j.assertBuildStatus(Result.ABORTED, j.waitForCompletion(build));

            assertThat(cluster.read("n1", "version")).isEqualTo(ClusterFixture.FROM);
            assertThat(cluster.read("n1", "role")).isEqualTo("primary");
            assertThat(cluster.log()).noneMatch(line -> line.startsWith("n1 "));
            for (String node : new String[] {"n1", "n2", "n3"}) {
                assertThat(cluster.read(node, "fence")).as(node + " in service").isNull();
            }
            j.assertLogContains("abort by alice", build);
            RunRecord record = build.getAction(HaUpgradeAction.class).getRuns().get(0);
            assertThat(record.getStatus()).isEqualTo("ABORTED");
            assertThat(build.getAction(HaUpgradeAction.class).getReport(record).getApprovals()).singleElement()
                    .satisfies(a -> assertThat(a.get("by")).isEqualTo("alice"));
        }
    }

    @Test
    @Timeout(300)
    void theKeyIsResolvedForTheBuildTrackedAndItsPassphraseMaskedInTheConsole(JenkinsRule j) throws Exception {
        try (ClusterFixture cluster = ClusterFixture.start(tmp, 2)) {
            cluster.addCredentials();
            WorkflowJob job = j.createProject(WorkflowJob.class, "upgrade");
            // A hook that prints the passphrase: what the console shows is masked.
            String hooks = "hooks:\n  beforeAll:\n    - run: 'echo \"passphrase is $(cat ../secret)\"'\n";
            job.setDefinition(new CpsFlowDefinition(Pipelines.upgrade("built-in", cluster.yaml("", hooks), ""),
                    true));
            WorkflowRun build = j.assertBuildStatusSuccess(job.scheduleBuild2(0));
            j.assertLogContains("passphrase is ****", build);
            j.assertLogNotContains(ClusterFixture.PASSPHRASE, build);
            SSHUserPrivateKey key = CredentialsProvider.findCredentialById(ClusterFixture.CREDENTIALS_ID,
                    SSHUserPrivateKey.class, build);
            assertThat(CredentialsProvider.getFingerprintOf(key)).as("the use is tracked").isNotNull();
            Path dir = build.getRootDir().toPath().resolve("ha-upgrade");
            try (var files = Files.walk(dir)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    assertThat(Files.readString(f)).as(f.toString()).doesNotContain(ClusterFixture.PASSPHRASE)
                            .doesNotContain("OPENSSH PRIVATE KEY");
                }
            }
        }
    }

    @Test
    @Timeout(120)
    void anUnknownCredentialsIdFailsBeforeAnyNodeIsTouchedAndSaysWhatToCheck(JenkinsRule j) throws Exception {
        try (ClusterFixture cluster = ClusterFixture.start(tmp, 2)) {
            WorkflowJob job = j.createProject(WorkflowJob.class, "upgrade");
            job.setDefinition(new CpsFlowDefinition(Pipelines.upgrade("built-in", cluster.yaml("", ""), ""), true));
            WorkflowRun build = j.assertBuildStatus(Result.FAILURE, job.scheduleBuild2(0));
            j.assertLogContains("No credentials with id '" + ClusterFixture.CREDENTIALS_ID + "'", build);
            assertThat(cluster.log()).isEmpty();
        }
    }

    @Test
    @Timeout(120)
    void aBadParameterNamesTheFieldAndWhatIsAccepted(JenkinsRule j) throws Exception {
        try (ClusterFixture cluster = ClusterFixture.start(tmp, 2)) {
            cluster.addCredentials();
            WorkflowJob job = j.createProject(WorkflowJob.class, "upgrade");
            job.setDefinition(new CpsFlowDefinition(Pipelines.upgrade("built-in", cluster.yaml("", ""),
                    "strategy: 'rollin'"), true));
            WorkflowRun build = j.assertBuildStatus(Result.FAILURE, job.scheduleBuild2(0));
            j.assertLogContains("strategy: unknown value 'rollin'; hint: write one of [rolling,", build);
            assertThat(cluster.log()).isEmpty();
        }
    }
}
