package io.jenkins.plugins.haupgrade;

import hudson.model.Run;
import io.haupgrade.execute.Rollout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * An unfinished run of a cluster that {@code resume: true} continues: the newest one in this build (a Pipeline that
 * returned at an approval), else in the job's earlier builds (a build that failed or was cut off mid-run).
 */
final class Previous {
    /** How many earlier builds are searched; an unfinished run older than that is resumed with the CLI. */
    static final int BUILDS_SEARCHED = 50;

    final Run<?, ?> build;
    final RunRecord record;
    final String runId;
    final Path journal;
    final String where;

    private Previous(Run<?, ?> build, RunRecord record, Path journal) {
        this.build = build;
        this.record = record;
        this.runId = record.getRunId();
        this.journal = journal;
        this.where = build.getFullDisplayName();
    }

    boolean sameBuild(Run<?, ?> run) {
        return build == run;
    }

    /**
     * Marks the run in the earlier build as continued in {@code run}, so that no later resume picks up its old
     * journal again.
     */
    void handOver(Run<?, ?> run) throws java.io.IOException {
        HaUpgradeAction action = build.getAction(HaUpgradeAction.class);
        record.finished("CONTINUED", "continued in " + run.getFullDisplayName());
        action.save();
    }

    static Previous find(Run<?, ?> run, String cluster) {
        Run<?, ?> build = run;
        for (int i = 0; build != null && i <= BUILDS_SEARCHED; i++, build = build.getPreviousBuild()) {
            HaUpgradeAction action = build.getAction(HaUpgradeAction.class);
            if (action == null) {
                continue;
            }
            List<RunRecord> records = action.getRuns();
            for (int k = records.size() - 1; k >= 0; k--) {
                RunRecord record = records.get(k);
                Path journal = action.directory(record).resolve(Rollout.JOURNAL);
                if (record.getCluster().equals(cluster) && !record.isFinished() && Files.exists(journal)) {
                    return new Previous(build, record, journal);
                }
            }
        }
        return null;
    }
}
