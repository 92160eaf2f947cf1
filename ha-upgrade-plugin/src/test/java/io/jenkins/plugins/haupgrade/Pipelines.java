package io.jenkins.plugins.haupgrade;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.model.Run;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import org.htmlunit.HttpMethod;
import org.htmlunit.WebRequest;
import org.htmlunit.WebResponse;
import org.jvnet.hudson.test.JenkinsRule;

/** What the Pipeline tests share: the script around a step call, waiting for a pause, answering over HTTP. */
final class Pipelines {
    private Pipelines() {
    }

    /** A scripted Pipeline that writes the cluster file into the workspace and runs {@code haUpgrade} on it. */
    static String upgrade(String label, String clusterYaml, String options) {
        return "node('" + label + "') {\n"
                + "  writeFile file: 'cluster.yaml', text: '''" + clusterYaml + "'''\n"
                + "  def r = haUpgrade cluster: 'cluster.yaml', credentialsId: '" + ClusterFixture.CREDENTIALS_ID + "'"
                + (options.isEmpty() ? "" : ", " + options) + "\n"
                + "  echo \"result: status=${r.status} n1=${r.nodes.n1.versionAfter} n2=${r.nodes.n2.versionAfter} "
                + "report=${r.report}\"\n"
                + "}\n";
    }

    /** Waits (bounded) until the build's run waits for an approval, and returns it. */
    static PendingApproval awaitApproval(Run<?, ?> build, Duration limit) throws InterruptedException {
        Instant end = Instant.now().plus(limit);
        while (Instant.now().isBefore(end)) {
            HaUpgradeAction action = build.getAction(HaUpgradeAction.class);
            if (action != null) {
                for (RunRecord record : action.getRuns()) {
                    if (record.getPending() != null) {
                        return record.getPending();
                    }
                }
            }
            assertThat(build.isBuilding()).as("build ended before an approval was requested").isTrue();
            Thread.sleep(100);
        }
        throw new AssertionError("no approval requested within " + limit + " in " + build);
    }

    /** {@code POST <build>/ha-upgrade/approval/<id>/<answer>} with a crumb, as a browser or API client does. */
    static WebResponse answer(JenkinsRule j, JenkinsRule.WebClient client, Run<?, ?> build, PendingApproval pending,
            String answer) throws Exception {
        client.setThrowExceptionOnFailingStatusCode(false);
        client.getOptions().setRedirectEnabled(false);
        WebRequest request = new WebRequest(new URL(j.getURL(), build.getUrl() + HaUpgradeAction.URL_NAME
                + "/approval/" + pending.getId() + "/" + answer), HttpMethod.POST);
        return client.getPage(client.addCrumb(request)).getWebResponse();
    }
}
