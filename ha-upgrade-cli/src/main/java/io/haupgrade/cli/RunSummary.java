package io.haupgrade.cli;

import io.haupgrade.probe.ProbeResult;
import io.haupgrade.report.ApprovalRecord;
import io.haupgrade.report.HeldFence;
import io.haupgrade.report.NodeReport;
import io.haupgrade.report.RunReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The block printed when a run ends, from its report: outcome, each node's versions before and after, who approved
 * what and when, what the probe measured, fences still held (loudly), and where report.json and report.html are.
 */
final class RunSummary {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

    private RunSummary() {
    }

    static void print(PrintWriter out, RunReport report, Path runDir) {
        out.println();
        out.println("Summary: " + report.outcome() + " in " + ConsoleRenderer.elapsed(report.duration()) + ", "
                + report.cluster() + " to " + report.targetVersion() + " (" + report.strategy() + ")");
        if (report.stoppedAt() != null) {
            out.println("  stopped at: " + report.stoppedAt());
        }
        out.println("  nodes:");
        for (NodeReport node : report.nodes()) {
            out.println(String.format(Locale.ROOT, "    %-12s %s -> %-8s %-16s %s", node.name(),
                    orUnknown(node.versionBefore()), orUnknown(node.versionAfter()),
                    node.outcome() == null ? "" : ConsoleRenderer.lower(node.outcome()),
                    roles(node)).stripTrailing());
        }
        if (report.approvals().isEmpty()) {
            out.println("  approvals: none asked");
        } else {
            out.println("  approvals:");
            for (ApprovalRecord a : report.approvals()) {
                out.println("    " + a.point() + ": " + (a.decision() == null ? "no answer"
                        : ConsoleRenderer.lower(a.decision()) + (a.by() == null ? "" : " by " + a.approver())
                                + (a.decidedAt() == null ? "" : " at " + TIME.format(a.decidedAt()) + " UTC"))
                        + (a.comment() == null ? "" : " (" + a.comment() + ")"));
            }
        }
        ProbeResult probe = report.probe();
        if (probe == null) {
            out.println("  probe: none (the cluster file has no probe)");
        } else {
            out.println(String.format(Locale.ROOT, "  probe: %d sent, %d failed, %.3f%% available, longest outage %s,"
                    + " total downtime %s (%s every %s)", probe.sent(), probe.failed(), probe.availabilityPercent(),
                    millis(probe.longestOutage()), millis(probe.totalDowntime()), probe.target(),
                    millis(probe.interval())));
            if (probe.stretches() > 1) {
                out.println("         measured by " + probe.stretches() + " processes in turn (the run was resumed); "
                        + "not probed for " + millis(probe.unprobed()) + " between them: downtime then is unknown");
            }
        }
        if (report.fencesHeld().isEmpty()) {
            out.println("  fences held: none, every node is in service");
        } else {
            out.println("  !!! FENCES STILL HELD: " + report.fencesHeld().size() + " node(s) out of service !!!");
            for (HeldFence fence : report.fencesHeld()) {
                out.println("    " + fence.node() + ": " + fence.reason()
                        + (fence.undo() == null ? "" : "; to bring it back: " + fence.undo()));
            }
        }
        report.warnings().forEach(w -> out.println("  warning: " + w));
        out.println("  report: " + runDir.resolve("report.html").toAbsolutePath());
        out.println("          " + runDir.resolve("report.json").toAbsolutePath());
        out.flush();
    }

    private static String roles(NodeReport node) {
        if (node.roleBefore() == null && node.roleAfter() == null) {
            return "";
        }
        String before = node.roleBefore() == null ? "?" : ConsoleRenderer.lower(node.roleBefore());
        String after = node.roleAfter() == null ? "?" : ConsoleRenderer.lower(node.roleAfter());
        return before.equals(after) ? before : before + " -> " + after;
    }

    private static String orUnknown(String version) {
        return version == null ? "?" : version;
    }

    private static String millis(Duration d) {
        return d == null ? "0 ms" : d.toMillis() + " ms";
    }
}
