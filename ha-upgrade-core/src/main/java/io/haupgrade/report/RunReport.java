package io.haupgrade.report;

import io.haupgrade.probe.ProbeResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Everything a person needs after a run, written as {@code report.json} (schema in {@code docs/report-schema.md})
 * and {@code report.html}. Built from already-masked text: no secret reaches it.
 *
 * @param schemaVersion {@link #SCHEMA_VERSION} when written by this version
 * @param stoppedAt     where and why the run stopped when it did not succeed, e.g. {@code step 7 (upgrade n2): exit 1}
 * @param startedBy     the user or CI job that started the run
 * @param plan          the plan as planned
 * @param nodes         every node of the plan, in plan order
 * @param expectedDowntime the plan's bound on a planned downtime window (full-stop: the sum of the time limits of
 *                      the steps that keep the service down); null when the plan keeps the service up
 * @param probe         the service probe's measurement; null when the spec names no probe
 * @param fencesHeld    nodes left out of service; empty after a clean run
 * @param warnings      things a person should know that did not stop the run
 */
public record RunReport(int schemaVersion, String runId, String cluster, String strategy, String targetVersion,
                        Instant startedAt, Instant finishedAt, Outcome outcome, String stoppedAt, String startedBy,
                        List<ReportStep> plan, List<NodeReport> nodes, List<GateRecord> gates,
                        List<ApprovalRecord> approvals, Duration expectedDowntime, ProbeResult probe, List<HeldFence> fencesHeld,
                        List<String> warnings) {

    /** The schema version this code writes; readers accept this and older. */
    public static final int SCHEMA_VERSION = 1;

    public RunReport {
        plan = plan == null ? List.of() : List.copyOf(plan);
        nodes = nodes == null ? List.of() : List.copyOf(nodes);
        gates = gates == null ? List.of() : List.copyOf(gates);
        approvals = approvals == null ? List.of() : List.copyOf(approvals);
        fencesHeld = fencesHeld == null ? List.of() : List.copyOf(fencesHeld);
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    /** How long the run took; zero when it has no end. */
    public Duration duration() {
        return startedAt == null || finishedAt == null ? Duration.ZERO : Duration.between(startedAt, finishedAt);
    }
}
