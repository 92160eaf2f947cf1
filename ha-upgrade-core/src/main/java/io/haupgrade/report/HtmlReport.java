package io.haupgrade.report;

import static io.haupgrade.report.Text.duration;
import static io.haupgrade.report.Text.esc;

import io.haupgrade.probe.BackendSpan;
import io.haupgrade.probe.Outage;
import io.haupgrade.probe.ProbeResult;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * {@code report.html}: one self-contained page (inline CSS and SVG; no script, font or image from anywhere) that reads
 * at a glance: the outcome and the numbers that matter on top, fences still held in red right under them, the
 * timeline, then the tables. Every text from the report is escaped.
 */
public final class HtmlReport {

    private static final String CSS = """
            :root{--red:#dc2626;--green:#16a34a;--amber:#d97706;--ink:#0f172a;--muted:#64748b;--line:#e2e8f0}
            *{box-sizing:border-box}
            body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;
              color:var(--ink);background:#f1f5f9}
            main{max-width:1320px;margin:0 auto;padding:18px 22px 40px}
            header.run{background:#fff;border:1px solid var(--line);border-left:10px solid var(--c);border-radius:10px;
              padding:14px 20px}
            .title{display:flex;gap:14px;align-items:center;flex-wrap:wrap}
            .badge{background:var(--c);color:#fff;font-weight:800;letter-spacing:.06em;padding:5px 12px;border-radius:6px}
            h1{font-size:22px;margin:0}
            .what{color:var(--muted);font-size:15px}
            .stopped{margin:8px 0 0;color:var(--c);font-weight:600}
            dl.facts{display:flex;gap:30px;flex-wrap:wrap;margin:12px 0 0}
            dl.facts dt{color:var(--muted);font-size:11px;text-transform:uppercase;letter-spacing:.05em}
            dl.facts dd{margin:0;font-weight:650;font-size:16px}
            dd.alert{color:var(--red)} dd.fine{color:var(--green)}
            .alarm{background:#fef2f2;border:2px solid var(--red);color:#7f1d1d;border-radius:10px;padding:12px 18px;
              margin-top:14px}
            .alarm h2{color:var(--red);margin:0 0 6px}
            .alarm li{margin:3px 0}
            section{background:#fff;border:1px solid var(--line);border-radius:10px;padding:14px 18px;margin-top:14px}
            h2{font-size:13px;margin:0 0 10px;text-transform:uppercase;letter-spacing:.06em;color:#334155}
            table{border-collapse:collapse;width:100%}
            th,td{text-align:left;padding:6px 10px;border-bottom:1px solid var(--line);vertical-align:top;overflow-wrap:break-word}
            th{font-size:11px;color:var(--muted);text-transform:uppercase;letter-spacing:.05em;font-weight:600}
            td.num{text-align:right;font-variant-numeric:tabular-nums} th.num{text-align:right}
            .pill{display:inline-block;padding:1px 9px;border-radius:999px;font-size:12px;font-weight:650;white-space:nowrap}
            .ok{background:#dcfce7;color:#166534} .bad{background:#fee2e2;color:#991b1b}
            .warn{background:#fef3c7;color:#92400e} .neutral{background:#e2e8f0;color:#334155}
            .legend{display:flex;gap:16px;flex-wrap:wrap;font-size:12px;color:#334155;margin-top:8px}
            .sw{display:inline-block;width:12px;height:12px;border-radius:3px;vertical-align:-2px;margin-right:5px}
            .hatch{background:repeating-linear-gradient(45deg,#fef3c7 0 3px,#f59e0b 3px 5px)}
            svg.timeline{width:100%;height:auto;display:block}
            svg.timeline text{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif}
            .lane{font-size:13px;font-weight:700;fill:#0f172a} .sub{font-size:11px;fill:#64748b}
            .axis{font-size:11px;fill:#64748b} .tick{stroke:#e2e8f0;stroke-width:1}
            .bar{font-size:11px;font-weight:650} .outage{font-size:12px;font-weight:800;fill:#dc2626}
            .none{font-size:12px;fill:#94a3b8;font-style:italic}
            code{font:12px ui-monospace,"DejaVu Sans Mono",monospace;background:#f1f5f9;padding:1px 5px;border-radius:4px}
            .muted{color:var(--muted)} ul.warnings{margin:0;padding-left:20px;color:#92400e}
            footer{color:var(--muted);font-size:12px;margin-top:14px}
            """;

    private final RunReport report;
    private final StringBuilder html = new StringBuilder(64 * 1024);

    private HtmlReport(RunReport report) {
        this.report = report;
    }

    /** The whole page. */
    public static String render(RunReport report) {
        return new HtmlReport(report).page();
    }

    /**
     * The timeline alone, a standalone SVG document (colours inline, every text escaped): for pages that show the
     * run next to other content, such as the Jenkins build page.
     */
    public static String timelineSvg(RunReport report) {
        return TimelineSvg.render(report);
    }

    /** Only the timeline at the page's top left, unscaled; for checking its geometry in a screenshot. */
    static String timelinePage(RunReport report) {
        return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><style>" + CSS
                + "body{background:#fff}svg.timeline{width:auto}</style></head><body>" + TimelineSvg.render(report)
                + "</body></html>\n";
    }

    private String page() {
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>").append(esc(report.cluster())).append(" · ").append(esc(report.outcome()))
                .append(" · ha-upgrade</title>\n<style>").append(CSS).append("</style></head>\n<body><main>\n");
        header();
        fences();
        timeline();
        nodes();
        approvals();
        outages();
        gates();
        warnings();
        plan();
        html.append("<footer>ha-upgrade report · schema ").append(report.schemaVersion()).append(" · run ")
                .append(esc(report.runId())).append(" · machine-readable: <code>report.json</code></footer>\n")
                .append("</main></body></html>\n");
        return html.toString();
    }

    private static String outcomeColour(Outcome outcome) {
        if (outcome == null) {
            return "#64748b";
        }
        return switch (outcome) {
            case SUCCEEDED -> "#16a34a";
            case FAILED -> "#dc2626";
            case ABORTED -> "#d97706";
        };
    }

    private void header() {
        html.append("<header class=\"run\" style=\"--c:").append(outcomeColour(report.outcome())).append("\">\n")
                .append("<div class=\"title\"><span class=\"badge\">").append(esc(report.outcome()))
                .append("</span><h1>").append(esc(report.cluster())).append("</h1><span class=\"what\">")
                .append(esc(report.strategy())).append(" upgrade to ").append(esc(report.targetVersion()))
                .append("</span></div>\n");
        if (report.outcome() != Outcome.SUCCEEDED && report.stoppedAt() != null) {
            html.append("<p class=\"stopped\">Stopped at ").append(esc(report.stoppedAt())).append("</p>\n");
        }
        html.append("<dl class=\"facts\">");
        fact("Started", Text.dateTime(report.startedAt()) + (report.startedBy() == null ? ""
                : " by " + report.startedBy()), null);
        fact("Duration", duration(report.duration()), null);
        long upgraded = report.nodes().stream().filter(n -> n.outcome() == NodeOutcome.UPGRADED
                || n.outcome() == NodeOutcome.ALREADY_CURRENT).count();
        fact("Nodes at target", upgraded + " of " + report.nodes().size(),
                upgraded == report.nodes().size() ? "fine" : "alert");
        if (report.expectedDowntime() != null) {
            fact("Planned downtime", "at most " + duration(report.expectedDowntime()) + " (by the plan's time limits)",
                    null);
        }
        ProbeResult probe = report.probe();
        if (probe == null) {
            fact("Downtime", "not measured", null);
        } else {
            String downtime = duration(probe.totalDowntime()) + " in " + probe.outages().size()
                    + (probe.omittedOutages() > 0 ? "+" + probe.omittedOutages() : "")
                    + (probe.outages().size() + probe.omittedOutages() == 1 ? " outage" : " outages");
            if (probe.maxDowntime() != null) {
                downtime += " (budget " + duration(probe.maxDowntime())
                        + (probe.budgetExceeded() ? ", EXCEEDED)" : ")");
            }
            fact("Downtime", downtime, probe.totalDowntime().isZero() ? "fine" : "alert");
            fact("Availability", Text.percent(probe.availabilityPercent()) + " · " + probe.failed() + " of "
                    + probe.sent() + " probes failed", probe.failed() == 0 ? "fine" : "alert");
            if (probe.stretches() > 1) {
                fact("Probed", "in " + probe.stretches() + " stretches (the run was resumed); not probed for "
                        + duration(probe.unprobed()) + " between them: downtime then is unknown", "alert");
            }
        }
        html.append("</dl>\n</header>\n");
    }

    private void fact(String name, String value, String tone) {
        html.append("<div><dt>").append(esc(name)).append("</dt><dd").append(tone == null ? ""
                : " class=\"" + tone + "\"").append('>').append(esc(value)).append("</dd></div>");
    }

    private void fences() {
        if (report.fencesHeld().isEmpty()) {
            return;
        }
        int count = report.fencesHeld().size();
        html.append("<div class=\"alarm\" role=\"alert\"><h2>⚠ ").append(count)
                .append(count == 1 ? " node is" : " nodes are").append(" still out of service</h2><ul>\n");
        for (HeldFence fence : report.fencesHeld()) {
            html.append("<li><strong>").append(esc(fence.node())).append("</strong> (").append(esc(fence.phase()))
                    .append("): ").append(esc(fence.reason()));
            if (fence.undo() != null) {
                html.append(" — to bring it back: <code>").append(esc(fence.undo())).append("</code>");
            }
            html.append("</li>\n");
        }
        html.append("</ul></div>\n");
    }

    private void timeline() {
        html.append("<section><h2>Timeline</h2>\n").append(TimelineSvg.render(report));
        html.append("<div class=\"legend\">");
        for (Map.Entry<String, String> phase : TimelineSvg.legend(report).entrySet()) {
            swatch("background:" + phase.getValue(), phase.getKey());
        }
        swatch("background:#fff;border:2.5px solid " + TimelineSvg.OUTAGE_RED, "failed phase");
        if (!report.approvals().isEmpty()) {
            html.append("<span><span class=\"sw hatch\"></span>waiting for approval</span>");
        }
        if (!report.gates().isEmpty()) {
            swatch("background:#d1fae5;border:1px solid #059669", "health gate");
        }
        if (report.probe() != null) {
            swatch("background:" + TimelineSvg.AVAILABLE_GREEN, "service answered");
            swatch("background:" + TimelineSvg.OUTAGE_RED, "outage");
        }
        html.append("<span class=\"muted\">time from the start of the run; hover for details</span></div>\n");
        html.append("</section>\n");
    }

    private void swatch(String style, String label) {
        html.append("<span><span class=\"sw\" style=\"").append(esc(style)).append("\"></span>").append(esc(label))
                .append("</span>");
    }

    private void nodes() {
        html.append("<section><h2>Nodes</h2><table><thead><tr><th>Node</th><th>Host</th><th>Role</th>")
                .append("<th>Version</th><th>Outcome</th><th class=\"num\">Time</th><th>Detail</th></tr></thead><tbody>\n");
        for (NodeReport node : report.nodes()) {
            Duration busy = node.phases().stream()
                    .filter(p -> p.start() != null && p.end() != null)
                    .map(p -> Duration.between(p.start(), p.end()))
                    .reduce(Duration.ZERO, Duration::plus);
            String detail = node.phases().stream()
                    .filter(p -> p.outcome() != PhaseOutcome.SUCCEEDED && p.outcome() != PhaseOutcome.SKIPPED)
                    .map(p -> p.phase() + " " + Text.lower(p.outcome())
                            + (p.exitCode() == null ? "" : " (exit " + p.exitCode() + ")")
                            + (p.detail() == null ? "" : ": " + p.detail()))
                    .collect(Collectors.joining("; "));
            html.append("<tr><td><strong>").append(esc(node.name())).append("</strong></td><td>")
                    .append(esc(node.host())).append("</td><td>").append(esc(change(Text.lower(node.roleBefore()),
                            Text.lower(node.roleAfter())))).append("</td><td>")
                    .append(esc(change(node.versionBefore(), node.versionAfter()))).append("</td><td>")
                    .append(pill(node.outcome())).append("</td><td class=\"num\">").append(esc(duration(busy)))
                    .append("</td><td>").append(esc(detail)).append("</td></tr>\n");
        }
        html.append("</tbody></table></section>\n");
    }

    private static String change(String before, String after) {
        String b = Objects.toString(before, "?");
        String a = Objects.toString(after, "?");
        return b.equals(a) ? b : b + " → " + a;
    }

    private static String pill(NodeOutcome outcome) {
        if (outcome == null) {
            return "";
        }
        String tone = switch (outcome) {
            case UPGRADED, ALREADY_CURRENT -> "ok";
            case ROLLED_BACK -> "warn";
            case FAILED -> "bad";
            case NOT_REACHED -> "neutral";
        };
        return "<span class=\"pill " + tone + "\">" + esc(Text.lower(outcome)) + "</span>";
    }

    private void approvals() {
        if (report.approvals().isEmpty()) {
            return;
        }
        html.append("<section><h2>Approvals</h2><table><thead><tr><th>Step</th><th>Point</th><th>Question</th>")
                .append("<th>Answer</th><th>By</th><th>At</th><th class=\"num\">Waited</th><th>Comment</th></tr></thead><tbody>\n");
        for (ApprovalRecord approval : report.approvals()) {
            String tone = approval.decision() == Decision.APPROVED ? "ok"
                    : approval.decision() == null ? "neutral" : "bad";
            html.append("<tr><td>").append(esc(approval.stepId())).append("</td><td>").append(esc(approval.point()))
                    .append("</td><td>").append(esc(approval.message())).append("</td><td><span class=\"pill ")
                    .append(tone).append("\">").append(esc(approval.decision() == null ? "no answer"
                            : Text.lower(approval.decision()))).append("</span></td><td>").append(esc(approval.approver()))
                    .append("</td><td>").append(esc(Text.time(approval.decidedAt()))).append("</td><td class=\"num\">")
                    .append(esc(duration(approval.waited()))).append("</td><td>").append(esc(approval.comment()))
                    .append("</td></tr>\n");
        }
        html.append("</tbody></table></section>\n");
    }

    private void outages() {
        ProbeResult probe = report.probe();
        if (probe == null) {
            return;
        }
        html.append("<section><h2>Service probe</h2><p class=\"muted\">").append(esc(probe.target()))
                .append(" every ").append(esc(duration(probe.interval()))).append(", timeout ")
                .append(esc(duration(probe.timeout()))).append(" · ").append(probe.sent()).append(" probes, ")
                .append(probe.failed()).append(" failed · longest outage ").append(esc(duration(probe.longestOutage())))
                .append(probe.timeLimitReached() ? " · stopped at its time limit" : "").append("</p>\n");
        if (probe.outages().isEmpty()) {
            html.append("<p><span class=\"pill ok\">no outage</span></p>\n");
        } else {
            html.append("<table><thead><tr><th>#</th><th>From</th><th>To</th><th class=\"num\">Length</th><th class=\"num\">Failed probes</th>")
                    .append("<th>First error</th><th>Running then</th></tr></thead><tbody>\n");
            int index = 1;
            for (Outage outage : probe.outages()) {
                html.append("<tr><td>").append(index++).append("</td><td>").append(esc(Text.time(outage.start())))
                        .append(" <span class=\"muted\">").append(esc(Text.offset(report.startedAt(), outage.start())))
                        .append("</span></td><td>").append(esc(Text.time(outage.end())))
                        .append(outage.stillDown() ? " <span class=\"pill bad\">still down</span>" : "")
                        .append("</td><td class=\"num\"><strong>").append(esc(duration(outage.length())))
                        .append("</strong></td><td class=\"num\">").append(outage.failedProbes()).append("</td><td>")
                        .append(esc(outage.firstError())).append("</td><td>")
                        .append(esc(outage.activities().isEmpty() ? "between steps"
                                : outage.activities().stream().map(Object::toString)
                                .collect(Collectors.joining(", "))))
                        .append("</td></tr>\n");
            }
            html.append("</tbody></table>\n");
            if (probe.omittedOutages() > 0) {
                html.append("<p class=\"muted\">").append(probe.omittedOutages())
                        .append(" earlier outages are counted above but not listed.</p>\n");
            }
        }
        if (!probe.backends().isEmpty()) {
            html.append("<h2 style=\"margin-top:14px\">Served by</h2><table><thead><tr><th>From</th><th>To</th>")
                    .append("<th>Backend</th><th>Version</th><th class=\"num\">Answers</th></tr></thead><tbody>\n");
            for (BackendSpan span : probe.backends()) {
                html.append("<tr><td>").append(esc(Text.time(span.from()))).append("</td><td>")
                        .append(esc(Text.time(span.to()))).append("</td><td>").append(esc(span.backend()))
                        .append("</td><td>").append(esc(span.version())).append("</td><td class=\"num\">")
                        .append(span.count()).append("</td></tr>\n");
            }
            html.append("</tbody></table>\n");
        }
        html.append("</section>\n");
    }

    private void gates() {
        if (report.gates().isEmpty()) {
            return;
        }
        html.append("<section><h2>Health gates</h2><table><thead><tr><th>Step</th><th>Gate</th><th>Result</th>")
                .append("<th class=\"num\">Rounds</th><th class=\"num\">Time</th><th>Checks</th></tr></thead><tbody>\n");
        for (GateRecord gate : report.gates()) {
            List<CheckResult> failing = gate.checks().stream().filter(c -> !c.passed()).toList();
            String checks = gate.checks().isEmpty() ? "no checks recorded"
                    : failing.isEmpty() ? "all " + gate.checks().size() + " checks passed"
                    : failing.stream().map(c -> c.node() + " " + c.check() + ": " + c.detail())
                    .collect(Collectors.joining("; "));
            html.append("<tr><td>").append(esc(gate.stepId())).append("</td><td>").append(esc(gate.description()))
                    .append("</td><td><span class=\"pill ").append(gate.green() ? "ok\">green" : "bad\">not green")
                    .append("</span></td><td class=\"num\">").append(gate.attempts()).append("</td><td class=\"num\">")
                    .append(esc(duration(gate.start() == null || gate.end() == null ? null
                            : Duration.between(gate.start(), gate.end())))).append("</td><td>").append(esc(checks))
                    .append("</td></tr>\n");
        }
        html.append("</tbody></table></section>\n");
    }

    private void warnings() {
        if (report.warnings().isEmpty()) {
            return;
        }
        html.append("<section><h2>Warnings</h2><ul class=\"warnings\">");
        report.warnings().forEach(w -> html.append("<li>").append(esc(w)).append("</li>"));
        html.append("</ul></section>\n");
    }

    private void plan() {
        if (report.plan().isEmpty()) {
            return;
        }
        html.append("<section><h2>Plan</h2><table><thead><tr><th>Step</th><th>Kind</th><th>Nodes</th>")
                .append("<th>What</th></tr></thead><tbody>\n");
        for (ReportStep step : report.plan()) {
            html.append("<tr><td>").append(esc(step.id())).append("</td><td>").append(esc(step.kind()))
                    .append("</td><td>").append(esc(String.join(", ", step.nodes()))).append("</td><td>")
                    .append(esc(step.description())).append("</td></tr>\n");
        }
        html.append("</tbody></table></section>\n");
    }
}
