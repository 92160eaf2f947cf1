package io.jenkins.plugins.haupgrade;

import hudson.FilePath;
import hudson.Launcher;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.haupgrade.report.ReportWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import jenkins.util.BuildListenerAdapter;

/** Archives a run's report.json and report.html with the build, through the build's artifact manager. */
final class Reports {
    private Reports() {
    }

    /** @return the artifact path of report.html */
    static String archive(Run<?, ?> run, FilePath workspace, Launcher launcher, TaskListener listener, String runId,
            String json, String html) throws IOException, InterruptedException {
        String artifacts = HaUpgradeAction.URL_NAME + "/" + runId + "/";
        FilePath staging = workspace.child(".ha-upgrade").child(runId);
        staging.mkdirs();
        staging.child(ReportWriter.JSON).write(json, StandardCharsets.UTF_8.name());
        staging.child(ReportWriter.HTML).write(html, StandardCharsets.UTF_8.name());
        String from = ".ha-upgrade/" + runId + "/";
        run.pickArtifactManager().archive(workspace, launcher, BuildListenerAdapter.wrap(listener), Map.of(
                artifacts + ReportWriter.JSON, from + ReportWriter.JSON,
                artifacts + ReportWriter.HTML, from + ReportWriter.HTML));
        staging.deleteRecursive();
        return artifacts + ReportWriter.HTML;
    }
}
