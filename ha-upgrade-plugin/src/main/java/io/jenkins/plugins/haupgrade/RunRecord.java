package io.jenkins.plugins.haupgrade;

/**
 * One run of the engine within a build, as the build remembers it (saved in build.xml): which cluster, where its
 * journal and reports are (relative to the build directory), how it stands, and the approval it waits for.
 */
public final class RunRecord {
    private final String runId;
    private final String cluster;
    private final String directory;
    private String status;
    private String summary;
    private PendingApproval pending;
    private boolean answeredOnPage;

    RunRecord(String runId, String cluster, String directory) {
        this.runId = runId;
        this.cluster = cluster;
        this.directory = directory;
        this.status = "RUNNING";
    }

    public String getRunId() {
        return runId;
    }

    public String getCluster() {
        return cluster;
    }

    /** The run's directory relative to the build directory: {@code ha-upgrade/<run id>}. */
    public String getDirectory() {
        return directory;
    }

    /**
     * RUNNING, AWAITING_APPROVAL, INTERRUPTED (cut off before its end, resumable), CONTINUED (resumed in a later
     * build), NOT_STARTED (failed before the engine began: nothing locked or touched), or the engine's final status
     * (SUCCEEDED, FAILED, ABORTED, REFUSED).
     */
    public String getStatus() {
        return status;
    }

    public String getSummary() {
        return summary;
    }

    public PendingApproval getPending() {
        return pending;
    }

    /**
     * Whether the pending approval is answered on the build page (the step waits for it); false when the step
     * returned at it ({@code returnAtApproval}) and the Pipeline's input step asks instead.
     */
    public boolean isAnsweredOnPage() {
        return pending != null && answeredOnPage;
    }

    /** Whether nothing more can happen to this run from this build: a resume must not pick it up. */
    public boolean isFinished() {
        return !status.equals("RUNNING") && !status.equals("AWAITING_APPROVAL") && !status.equals("INTERRUPTED");
    }

    void interrupted(String why) {
        status = "INTERRUPTED";
        summary = why;
        pending = null;
    }

    void running() {
        status = "RUNNING";
        pending = null;
    }

    void awaiting(PendingApproval approval, boolean onPage) {
        status = "AWAITING_APPROVAL";
        pending = approval;
        answeredOnPage = onPage;
    }

    void finished(String finalStatus, String finalSummary) {
        status = finalStatus;
        summary = finalSummary;
        pending = null;
    }
}
