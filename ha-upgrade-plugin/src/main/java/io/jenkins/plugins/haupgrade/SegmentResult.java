package io.jenkins.plugins.haupgrade;

import java.io.Serializable;

/**
 * What one stretch of a run on the agent ended with, sent back to the controller: waiting for an approval, over
 * (with the report files), or an answer the engine refused (the approval is still pending). Plain text only.
 */
final class SegmentResult implements Serializable {
    private static final long serialVersionUID = 1L;

    enum Kind { AWAITING_APPROVAL, FINISHED, ANSWER_REFUSED }

    final Kind kind;
    final PendingApproval pending;
    final String status;
    final String summary;
    final String reportJson;
    final String reportHtml;

    private SegmentResult(Kind kind, PendingApproval pending, String status, String summary, String reportJson,
            String reportHtml) {
        this.kind = kind;
        this.pending = pending;
        this.status = status;
        this.summary = summary;
        this.reportJson = reportJson;
        this.reportHtml = reportHtml;
    }

    static SegmentResult awaiting(PendingApproval pending) {
        return new SegmentResult(Kind.AWAITING_APPROVAL, pending, null, null, null, null);
    }

    static SegmentResult refused(PendingApproval pending, String why) {
        return new SegmentResult(Kind.ANSWER_REFUSED, pending, null, why, null, null);
    }

    /**
     * @param status the engine's {@code RunStatus} name
     */
    static SegmentResult finished(String status, String summary, String reportJson, String reportHtml) {
        return new SegmentResult(Kind.FINISHED, null, status, summary, reportJson, reportHtml);
    }
}
