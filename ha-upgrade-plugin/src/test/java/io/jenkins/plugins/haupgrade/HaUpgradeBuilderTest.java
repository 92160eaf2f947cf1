package io.jenkins.plugins.haupgrade;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.FilePath;
import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.model.Item;
import hudson.model.Result;
import hudson.model.User;
import hudson.security.ACL;
import hudson.security.ACLContext;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import java.nio.file.Path;
import jenkins.model.Jenkins;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** The freestyle build step, and the form methods every descriptor shares: what they show to whom. */
@WithJenkins
class HaUpgradeBuilderTest {
    @TempDir
    Path tmp;

    private static FreeStyleProject project(JenkinsRule j, ClusterFixture cluster, String policy) throws Exception {
        FreeStyleProject project = j.createFreeStyleProject("upgrade");
        FilePath workspace = j.jenkins.getWorkspaceFor(project);
        workspace.mkdirs();
        workspace.child("cluster.yaml").write(cluster.yaml(policy, ""), "UTF-8");
        HaUpgradeBuilder builder = new HaUpgradeBuilder("cluster.yaml");
        builder.setCredentialsId(ClusterFixture.CREDENTIALS_ID);
        project.getBuildersList().add(builder);
        return project;
    }

    @Test
    @Timeout(300)
    void aPlanWithoutApprovalsRunsToTheEndAndArchivesTheReport(JenkinsRule j) throws Exception {
        try (ClusterFixture cluster = ClusterFixture.start(tmp, 3)) {
            cluster.addCredentials();
            FreeStyleBuild build = j.buildAndAssertSuccess(project(j, cluster, ""));
            for (String node : new String[] {"n1", "n2", "n3"}) {
                assertThat(cluster.read(node, "version")).as(node).isEqualTo(ClusterFixture.TARGET);
            }
            assertThat(cluster.log().indexOf("n2 upgrade")).isLessThan(cluster.log().indexOf("n1 upgrade"));
            RunRecord record = build.getAction(HaUpgradeAction.class).getRuns().get(0);
            assertThat(record.getStatus()).isEqualTo("SUCCEEDED");
            assertThat(build.getArtifactManager().root().child("ha-upgrade/" + record.getRunId() + "/report.json")
                    .isFile()).isTrue();
            assertThat(j.createWebClient().goTo(build.getUrl() + "ha-upgrade/timeline?run=" + record.getRunId(),
                    "image/svg+xml").getWebResponse().getContentAsString()).startsWith("<svg");
        }
    }

    @Test
    @Timeout(120)
    void aPlanWithApprovalsIsRefusedBeforeAnythingIsTouchedAndSaysHowToProceed(JenkinsRule j) throws Exception {
        try (ClusterFixture cluster = ClusterFixture.start(tmp, 2)) {
            cluster.addCredentials();
            FreeStyleProject project = project(j, cluster, "strategy: active-passive\n");
            FreeStyleBuild build = j.assertBuildStatus(Result.FAILURE, project.scheduleBuild2(0));
            j.assertLogContains("a freestyle build cannot pause", build);
            j.assertLogContains("haUpgrade step", build);
            assertThat(cluster.log()).isEmpty();
        }
    }

    @Test
    void theConfigurationSurvivesTheFormRoundTrip(JenkinsRule j) throws Exception {
        HaUpgradeBuilder before = new HaUpgradeBuilder("clusters/lb.yaml");
        before.setStrategy("canary");
        before.setCredentialsId("ops-ssh");
        before.setTargetVersion("6.1.2");
        before.setApprovals("none");
        before.setOnFailure("rollback");
        before.setDryRun(true);
        j.assertEqualDataBoundBeans(before, j.configRoundtrip(before));
    }

    @Test
    void credentialsAreListedOnlyToUsersWhoMayUseThemAndFormMethodsArePostOnly(JenkinsRule j) throws Exception {
        try (ClusterFixture cluster = ClusterFixture.start(tmp, 1)) {
            cluster.addCredentials();
            FreeStyleProject project = j.createFreeStyleProject("upgrade");
            j.jenkins.setSecurityRealm(j.createDummySecurityRealm());
            j.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                    .grant(Jenkins.READ).everywhere().to("reader", "configurer")
                    .grant(Item.READ).onItems(project).to("reader", "configurer")
                    .grant(Item.CONFIGURE, Item.EXTENDED_READ).onItems(project).to("configurer"));
            HaUpgradeBuilder.DescriptorImpl descriptor = j.jenkins.getDescriptorByType(
                    HaUpgradeBuilder.DescriptorImpl.class);

            try (ACLContext ignored = ACL.as2(User.getById("reader", true).impersonate2())) {
                ListBoxModel items = descriptor.doFillCredentialsIdItems(project, "typed-id");
                assertThat(items).extracting(o -> o.value).containsExactly("typed-id");
                assertThat(descriptor.doCheckCluster(project, "no-such.yaml").kind).isEqualTo(FormValidation.Kind.OK);
            }
            try (ACLContext ignored = ACL.as2(User.getById("configurer", true).impersonate2())) {
                ListBoxModel items = descriptor.doFillCredentialsIdItems(project, "");
                assertThat(items).extracting(o -> o.value).contains(ClusterFixture.CREDENTIALS_ID);
                assertThat(descriptor.doCheckCluster(project, "name: x\nnodes: 3\n").kind)
                        .isEqualTo(FormValidation.Kind.ERROR);
                assertThat(descriptor.doCheckApprovals(project, "before-switchover, later").renderHtml())
                        .contains("unknown value");
            }

            // @POST: Stapler does not dispatch a GET to the method at all, so the URL is not found.
            JenkinsRule.WebClient web = j.createWebClient().login("configurer");
            web.setThrowExceptionOnFailingStatusCode(false);
            assertThat(web.goTo("job/upgrade/descriptorByName/" + HaUpgradeBuilder.class.getName()
                    + "/fillCredentialsIdItems").getWebResponse().getStatusCode()).isEqualTo(404);
        }
    }
}
