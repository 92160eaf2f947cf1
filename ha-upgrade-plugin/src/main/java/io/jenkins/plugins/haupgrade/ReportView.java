package io.jenkins.plugins.haupgrade;

import io.haupgrade.report.ApprovalRecord;
import io.haupgrade.report.HeldFence;
import io.haupgrade.report.NodeReport;
import io.haupgrade.report.RunReport;
import io.haupgrade.spec.SpecOverrides;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run's report as the build page and the Pipeline see it: bean getters for Jelly, and {@link #toMap} for the value
 * {@code haUpgrade} returns (plain maps, lists, strings and numbers, usable in a sandboxed Pipeline).
 */
public final class ReportView {
    private final RunReport report;

    ReportView(RunReport report) {
        this.report = report;
    }

    public String getCluster() {
        return report.cluster();
    }

    public String getOutcome() {
        return text(report.outcome());
    }

    public String getStrategy() {
        return report.strategy();
    }

    public String getTargetVersion() {
        return report.targetVersion();
    }

    public String getStartedBy() {
        return report.startedBy();
    }

    public String getStoppedAt() {
        return report.stoppedAt();
    }

    public String getDuration() {
        return seconds(report.duration());
    }

    /** Total service downtime the probe measured, or null without a probe. */
    public String getDowntime() {
        return report.probe() == null ? null : seconds(report.probe().totalDowntime());
    }

    public String getProbeTarget() {
        return report.probe() == null ? null : report.probe().target();
    }

    public List<Map<String, String>> getNodes() {
        List<Map<String, String>> rows = new ArrayList<>();
        for (NodeReport n : report.nodes()) {
            Map<String, String> row = new LinkedHashMap<>();
            row.put("name", n.name());
            row.put("host", n.host());
            row.put("outcome", text(n.outcome()));
            row.put("roleBefore", text(n.roleBefore()));
            row.put("roleAfter", text(n.roleAfter()));
            row.put("versionBefore", n.versionBefore());
            row.put("versionAfter", n.versionAfter());
            row.put("phases", String.join(" > ", n.phases().stream()
                    .map(p -> p.phase() + " " + text(p.outcome())).toList()));
            rows.add(row);
        }
        return rows;
    }

    public List<Map<String, String>> getApprovals() {
        List<Map<String, String>> rows = new ArrayList<>();
        for (ApprovalRecord a : report.approvals()) {
            Map<String, String> row = new LinkedHashMap<>();
            row.put("point", a.point());
            row.put("decision", text(a.decision()));
            row.put("by", a.by() == null ? "(nobody: timed out)" : a.approver());
            row.put("waited", seconds(a.waited()));
            row.put("comment", a.comment());
            rows.add(row);
        }
        return rows;
    }

    public List<Map<String, String>> getFencesHeld() {
        List<Map<String, String>> rows = new ArrayList<>();
        for (HeldFence f : report.fencesHeld()) {
            Map<String, String> row = new LinkedHashMap<>();
            row.put("node", f.node());
            row.put("reason", f.reason());
            row.put("undo", f.undo());
            rows.add(row);
        }
        return rows;
    }

    public List<String> getWarnings() {
        return report.warnings();
    }

    /** What {@code haUpgrade} returns. */
    LinkedHashMap<String, Object> toMap(String reportPath) {
        LinkedHashMap<String, Object> result = new LinkedHashMap<>();
        result.put("status", report.outcome().name());
        result.put("cluster", report.cluster());
        result.put("runId", report.runId());
        result.put("strategy", report.strategy());
        result.put("targetVersion", report.targetVersion());
        result.put("stoppedAt", report.stoppedAt());
        LinkedHashMap<String, Object> nodes = new LinkedHashMap<>();
        for (Map<String, String> row : getNodes()) {
            nodes.put(row.get("name"), new LinkedHashMap<>(row));
        }
        result.put("nodes", nodes);
        List<Object> approvals = new ArrayList<>(getApprovals().stream().map(LinkedHashMap::new).toList());
        result.put("approvals", approvals);
        result.put("downtimeSeconds", report.probe() == null ? null
                : report.probe().totalDowntime().toMillis() / 1000.0);
        result.put("fencesHeld", new ArrayList<>(report.fencesHeld().stream().map(HeldFence::node).toList()));
        result.put("report", reportPath);
        return result;
    }

    private static String text(Enum<?> value) {
        return value == null ? null : SpecOverrides.kebab(value);
    }

    private static String seconds(Duration d) {
        return d == null ? null : String.format(java.util.Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
