package io.haupgrade.report;

import static io.haupgrade.report.Text.esc;
import static io.haupgrade.report.Text.num;

import io.haupgrade.probe.BackendSpan;
import io.haupgrade.probe.Outage;
import io.haupgrade.probe.ProbeResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The run on one time axis: a lane for cluster-wide steps (gates, approvals), one lane per node with a coloured bar
 * per phase, then which backend and version answered, and the probe's availability strip with outages in red.
 * Approval pauses and outages also shade every lane, so a reader sees what ran when the service went down.
 */
final class TimelineSvg {

    static final int WIDTH = 1240;
    static final int LABEL_WIDTH = 215;
    static final int RIGHT_MARGIN = 28;
    static final int TOP = 32;
    static final int LANE_HEIGHT = 30;
    static final int LANE_GAP = 8;
    static final int SERVED_HEIGHT = 20;
    static final int STRIP_HEIGHT = 24;

    /** Average character widths of the bar labels (11px semi-bold) and the lane details (11px), for fitting text. */
    private static final double BAR_CHAR_WIDTH = 6.4;
    private static final double SUB_CHAR_WIDTH = 5.7;

    static final String OUTAGE_RED = "#dc2626";
    static final String AVAILABLE_GREEN = "#16a34a";
    static final String BACKGROUND = "#ffffff";

    private static final Map<String, String> PHASE_COLOURS = phaseColours();
    private static final String OTHER_PHASE = "#94a3b8";
    private static final String[] VERSION_COLOURS = {"#475569", "#2563eb", "#7c3aed", "#0e7490", "#a16207"};
    private static final double[] TICK_STEPS_SECONDS = {0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900,
            1800, 3600, 7200, 10800, 21600, 43200, 86400};

    private final RunReport report;
    private final Instant origin;
    private final Instant from;
    private final Instant to;
    private final StringBuilder svg = new StringBuilder(16 * 1024);

    private TimelineSvg(RunReport report) {
        this.report = report;
        this.origin = report.startedAt() != null ? report.startedAt() : firstInstant(report);
        Instant end = lastInstant(report);
        Instant start = firstInstant(report);
        if (!end.isAfter(start.plusSeconds(1))) {
            end = start.plusSeconds(1);
        }
        // A little air on both sides so bars at the ends stay visible.
        Duration pad = Duration.between(start, end).dividedBy(100);
        this.from = start.minus(pad);
        this.to = end.plus(pad);
    }

    static Map<String, String> phaseColours() {
        Map<String, String> colours = new LinkedHashMap<>();
        colours.put("snapshot", "#a78bfa");
        colours.put("fence", "#f59e0b");
        colours.put("upgrade", "#3b82f6");
        colours.put("reboot", "#6366f1");
        colours.put("verify", "#14b8a6");
        colours.put("unfence", "#84cc16");
        colours.put("switchover", "#ec4899");
        colours.put("failback", "#d946ef");
        colours.put("rollback", "#f97316");
        colours.put("restore", "#c2410c");
        colours.put("stop", "#64748b");
        colours.put("start", "#0ea5e9");
        colours.put("join", "#06b6d4");
        colours.put("leave", "#78716c");
        return colours;
    }

    static String colourOf(String phase) {
        return phase == null ? OTHER_PHASE : PHASE_COLOURS.getOrDefault(phase.toLowerCase(Locale.ROOT), OTHER_PHASE);
    }

    /** The phases this report uses, in the legend's order, with their colours. */
    static Map<String, String> legend(RunReport report) {
        Map<String, String> used = new LinkedHashMap<>();
        List<String> seen = report.nodes().stream().flatMap(n -> n.phases().stream()).map(PhaseRecord::phase)
                .filter(Objects::nonNull).map(p -> p.toLowerCase(Locale.ROOT)).distinct().toList();
        PHASE_COLOURS.forEach((phase, colour) -> {
            if (seen.contains(phase)) {
                used.put(phase, colour);
            }
        });
        seen.stream().filter(p -> !PHASE_COLOURS.containsKey(p)).forEach(p -> used.put(p, OTHER_PHASE));
        return used;
    }

    // Geometry, shared with the screenshot test that looks for each lane's pixels.

    static int clusterLaneTop() {
        return TOP;
    }

    static int nodeLaneTop(int index) {
        return TOP + (index + 1) * (LANE_HEIGHT + LANE_GAP);
    }

    static int servedTop(int nodes) {
        return nodeLaneTop(nodes) + 6;
    }

    static int stripTop(int nodes) {
        return servedTop(nodes) + SERVED_HEIGHT + 8;
    }

    static int height(int nodes) {
        return stripTop(nodes) + STRIP_HEIGHT + 24;
    }

    static String render(RunReport report) {
        return new TimelineSvg(report).draw();
    }

    private String draw() {
        int nodes = report.nodes().size();
        int height = height(nodes);
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"timeline\" width=\"").append(WIDTH)
                .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ')
                .append(height).append("\" role=\"img\" aria-label=\"Timeline of the run\">\n");
        svg.append("<defs><pattern id=\"hatch\" patternUnits=\"userSpaceOnUse\" width=\"7\" height=\"7\" "
                + "patternTransform=\"rotate(45)\"><rect width=\"7\" height=\"7\" fill=\"#fef3c7\"/>"
                + "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"7\" stroke=\"#f59e0b\" stroke-width=\"3\"/></pattern></defs>\n");
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"").append(BACKGROUND).append("\"/>\n");
        lanes(nodes);
        axis(height);
        approvalBands(nodes);
        outageBands(nodes);
        gates();
        approvals();
        for (int i = 0; i < nodes; i++) {
            phases(report.nodes().get(i), nodeLaneTop(i));
        }
        served(servedTop(nodes));
        strip(stripTop(nodes));
        svg.append("</svg>\n");
        return svg.toString();
    }

    private double x(Instant at) {
        double total = Duration.between(from, to).toNanos();
        double part = Duration.between(from, at).toNanos();
        return LABEL_WIDTH + Math.max(0, Math.min(1, part / total)) * (WIDTH - LABEL_WIDTH - RIGHT_MARGIN);
    }

    private void lanes(int nodes) {
        lane(clusterLaneTop(), LANE_HEIGHT, "cluster", "gates, approvals", "#f1f5f9");
        for (int i = 0; i < nodes; i++) {
            NodeReport node = report.nodes().get(i);
            String role = node.roleBefore() == null ? "" : Text.lower(node.roleBefore())
                    + (node.roleAfter() != null && node.roleAfter() != node.roleBefore()
                    ? " → " + Text.lower(node.roleAfter()) : "");
            String version = Objects.toString(node.versionBefore(), "?")
                    + (Objects.equals(node.versionBefore(), node.versionAfter()) ? "" : " → "
                    + Objects.toString(node.versionAfter(), "?"));
            lane(nodeLaneTop(i), LANE_HEIGHT, node.name(), join(role, version), i % 2 == 0 ? "#f8fafc" : "#f1f5f9");
        }
        lane(servedTop(nodes), SERVED_HEIGHT, report.probe() == null ? "" : "served by", null, BACKGROUND);
        lane(stripTop(nodes), STRIP_HEIGHT, "availability", null, BACKGROUND);
    }

    private static String join(String a, String b) {
        return a.isEmpty() ? b : a + " · " + b;
    }

    private void lane(int top, int height, String name, String detail, String fill) {
        svg.append("<rect x=\"0\" y=\"").append(top).append("\" width=\"").append(WIDTH).append("\" height=\"")
                .append(height).append("\" fill=\"").append(fill).append("\"/>\n");
        if (detail == null) {
            svg.append("<text x=\"12\" y=\"").append(top + height / 2 + 4)
                    .append("\" class=\"lane\">").append(esc(name)).append("</text>\n");
        } else {
            svg.append("<g><title>").append(esc(name + ": " + detail)).append("</title><text x=\"12\" y=\"")
                    .append(top + 13).append("\" class=\"lane\">").append(esc(name)).append("</text>");
            svg.append("<text x=\"12\" y=\"").append(top + 25).append("\" class=\"sub\">")
                    .append(esc(fit(detail, LABEL_WIDTH - 16, SUB_CHAR_WIDTH))).append("</text></g>\n");
        }
    }

    private void axis(int height) {
        double seconds = Duration.between(from, to).toMillis() / 1000.0;
        double step = TICK_STEPS_SECONDS[TICK_STEPS_SECONDS.length - 1];
        for (double candidate : TICK_STEPS_SECONDS) {
            if (seconds / candidate <= 12) {
                step = candidate;
                break;
            }
        }
        double first = Math.ceil(Duration.between(origin, from).toMillis() / 1000.0 / step) * step;
        for (double t = first; origin.plusMillis(Math.round(t * 1000)).isBefore(to); t += step) {
            double x = x(origin.plusMillis(Math.round(t * 1000)));
            svg.append("<line x1=\"").append(num(x)).append("\" y1=\"").append(TOP - 6).append("\" x2=\"")
                    .append(num(x)).append("\" y2=\"").append(height - 22).append("\" class=\"tick\"/>\n");
            svg.append("<text x=\"").append(num(x)).append("\" y=\"").append(TOP - 10)
                    .append("\" class=\"axis\" text-anchor=\"middle\">").append(esc(tickLabel(t, step)))
                    .append("</text>\n");
        }
    }

    private static String tickLabel(double t, double step) {
        if (Math.abs(t) < 1e-9) {
            return "0";
        }
        if (Math.abs(t) < 60) {
            return step < 1 ? String.format(Locale.ROOT, "%.1f s", t) : String.format(Locale.ROOT, "%.0f s", t);
        }
        long s = Math.round(Math.abs(t));
        String sign = t < 0 ? "-" : "";
        if (s < 3600) {
            return sign + String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
        }
        return sign + String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s % 3600) / 60, s % 60);
    }

    private void approvalBands(int nodes) {
        int bottom = nodeLaneTop(nodes) - LANE_GAP;
        for (ApprovalRecord approval : report.approvals()) {
            if (approval.requestedAt() == null) {
                continue;
            }
            Instant end = approval.decidedAt() != null ? approval.decidedAt() : endOfRun();
            band(approval.requestedAt(), end, TOP, bottom, "#f59e0b", 0.08);
        }
    }

    private void outageBands(int nodes) {
        ProbeResult probe = report.probe();
        if (probe == null) {
            return;
        }
        for (Outage outage : probe.outages()) {
            band(outage.start(), outage.end(), TOP, stripTop(nodes), OUTAGE_RED, 0.14);
        }
    }

    private void band(Instant start, Instant end, int top, int bottom, String colour, double opacity) {
        double x1 = x(start);
        double width = Math.max(2, x(end) - x1);
        svg.append("<rect x=\"").append(num(x1)).append("\" y=\"").append(top).append("\" width=\"")
                .append(num(width)).append("\" height=\"").append(bottom - top).append("\" fill=\"").append(colour)
                .append("\" fill-opacity=\"").append(opacity).append("\"/>\n");
    }

    private void gates() {
        int top = clusterLaneTop() + 5;
        for (GateRecord gate : report.gates()) {
            if (gate.start() == null) {
                continue;
            }
            Instant end = gate.end() != null ? gate.end() : endOfRun();
            String fill = gate.green() ? "#d1fae5" : "#fee2e2";
            String stroke = gate.green() ? "#059669" : OUTAGE_RED;
            String label = "gate " + (gate.green() ? "✓" : "✗");
            bar(gate.start(), end, top, LANE_HEIGHT - 10, fill, stroke, 1.2, label, gate.green() ? "#064e3b" : "#7f1d1d",
                    "gate " + gate.stepId() + ": " + gate.description() + " — " + (gate.green() ? "green" : "NOT green")
                            + " after " + gate.attempts() + " round(s), " + Text.duration(span(gate.start(), end)));
        }
    }

    private void approvals() {
        int top = clusterLaneTop() + 3;
        for (ApprovalRecord approval : report.approvals()) {
            if (approval.requestedAt() == null) {
                continue;
            }
            Instant end = approval.decidedAt() != null ? approval.decidedAt() : endOfRun();
            String answer = approval.decision() == null ? "waiting for approval"
                    : switch (approval.decision()) {
                        case APPROVED -> "✓ approved by " + Objects.toString(approval.approver(), "?");
                        case REJECTED -> "✗ rejected by " + Objects.toString(approval.approver(), "?");
                        case TIMED_OUT -> "✗ timed out";
                    };
            String label = answer + " · " + Text.duration(span(approval.requestedAt(), end));
            bar(approval.requestedAt(), end, top, LANE_HEIGHT - 6, "url(#hatch)", "#b45309", 1.2, label,
                    "#78350f", "approval " + approval.point() + ": " + approval.message() + " — " + answer);
        }
    }

    private void phases(NodeReport node, int laneTop) {
        for (PhaseRecord phase : node.phases()) {
            if (phase.start() == null) {
                continue;
            }
            Instant end = phase.end() != null ? phase.end() : endOfRun();
            boolean failed = phase.outcome() == PhaseOutcome.FAILED || phase.outcome() == PhaseOutcome.TIMED_OUT
                    || phase.outcome() == PhaseOutcome.ABORTED;
            String label = phase.phase() + (failed ? " ✗" : "");
            String tooltip = node.name() + " · " + phase.phase() + " (step " + phase.stepId() + "): "
                    + Text.lower(phase.outcome()) + ", " + Text.duration(span(phase.start(), end))
                    + (phase.exitCode() == null ? "" : ", exit " + phase.exitCode())
                    + (phase.detail() == null ? "" : " — " + phase.detail());
            String colour = colourOf(phase.phase());
            bar(phase.start(), end, laneTop + 4, LANE_HEIGHT - 8, colour, OUTAGE_RED, failed ? 2.5 : 0, label,
                    textOn(colour), tooltip);
        }
    }

    private void served(int top) {
        ProbeResult probe = report.probe();
        if (probe == null || probe.backends().isEmpty()) {
            svg.append("<text x=\"").append(LABEL_WIDTH).append("\" y=\"").append(top + 14)
                    .append("\" class=\"none\">").append(probe == null ? "" : "the service names no backend")
                    .append("</text>\n");
            return;
        }
        List<String> versions = probe.backends().stream().map(BackendSpan::version).filter(Objects::nonNull)
                .distinct().toList();
        for (BackendSpan span : probe.backends()) {
            int index = span.version() == null ? 0 : versions.indexOf(span.version());
            String colour = VERSION_COLOURS[index % VERSION_COLOURS.length];
            String label = join(Objects.toString(span.backend(), ""), Objects.toString(span.version(), "?"));
            bar(span.from(), span.to(), top + 2, SERVED_HEIGHT - 4, colour, "none", 0, label, "#ffffff",
                    label + ": " + span.count() + " answers, " + Text.time(span.from()) + " – " + Text.time(span.to()));
        }
    }

    private void strip(int top) {
        ProbeResult probe = report.probe();
        if (probe == null || probe.startedAt() == null || probe.stoppedAt() == null) {
            svg.append("<text x=\"").append(LABEL_WIDTH).append("\" y=\"").append(top + 16)
                    .append("\" class=\"none\">no service probe in the spec: downtime not measured</text>\n");
            return;
        }
        bar(probe.startedAt(), probe.stoppedAt(), top, STRIP_HEIGHT, AVAILABLE_GREEN, "none", 0, null, null,
                probe.target() + ": " + probe.sent() + " probes, " + probe.failed() + " failed, "
                        + Text.percent(probe.availabilityPercent()));
        double lastLabelEnd = Double.NEGATIVE_INFINITY;
        for (Outage outage : probe.outages()) {
            String label = Text.duration(outage.length()) + (outage.stillDown() ? " still down" : "");
            bar(outage.start(), outage.end(), top, STRIP_HEIGHT, OUTAGE_RED, "none", 0, null, null,
                    "outage " + Text.time(outage.start()) + " – " + Text.time(outage.end()) + ": "
                            + Text.duration(outage.length()) + ", " + outage.failedProbes() + " failed probes, "
                            + outage.firstError() + (outage.activities().isEmpty() ? ""
                            : ", during " + outage.activities()));
            double centre = (x(outage.start()) + x(outage.end())) / 2;
            double halfWidth = label.length() * 3.4;
            if (centre - halfWidth > lastLabelEnd + 4) {
                svg.append("<text x=\"").append(num(centre)).append("\" y=\"").append(top + STRIP_HEIGHT + 15)
                        .append("\" class=\"outage\" text-anchor=\"middle\">").append(esc(label)).append("</text>\n");
                lastLabelEnd = centre + halfWidth;
            }
        }
    }

    /** A bar with a tooltip, and its label inside when it fits. */
    private void bar(Instant start, Instant end, int top, int height, String fill, String stroke, double strokeWidth,
                     String label, String labelColour, String tooltip) {
        double x1 = x(start);
        double width = Math.max(2, x(end) - x1);
        svg.append("<g><title>").append(esc(tooltip)).append("</title><rect x=\"").append(num(x1)).append("\" y=\"")
                .append(top).append("\" width=\"").append(num(width)).append("\" height=\"").append(height)
                .append("\" rx=\"3\" fill=\"").append(fill).append('"');
        if (strokeWidth > 0) {
            svg.append(" stroke=\"").append(stroke).append("\" stroke-width=\"").append(strokeWidth).append('"');
        }
        svg.append("/>");
        if (label != null) {
            String shown = fit(label, width - 8, BAR_CHAR_WIDTH);
            if (!shown.isEmpty()) {
                svg.append("<text x=\"").append(num(x1 + 5)).append("\" y=\"").append(top + height / 2 + 4)
                        .append("\" class=\"bar\" fill=\"")
                        .append(labelColour).append("\">")
                        .append(esc(shown)).append("</text>");
            }
        }
        svg.append("</g>\n");
    }

    /** Dark text on light colours, white on dark ones. */
    static String textOn(String hex) {
        int rgb = Integer.parseInt(hex.substring(1), 16);
        double luminance = (0.299 * (rgb >> 16) + 0.587 * ((rgb >> 8) & 0xff) + 0.114 * (rgb & 0xff)) / 255;
        return luminance > 0.62 ? "#1e293b" : "#ffffff";
    }

    /** The text, cut with an ellipsis to fit {@code width} pixels; empty when not even 3 characters fit. */
    private static String fit(String text, double width, double charWidth) {
        int fits = (int) (width / charWidth);
        if (text.length() <= fits) {
            return text;
        }
        return fits < 4 ? "" : text.substring(0, fits - 1) + "…";
    }

    private Instant endOfRun() {
        return report.finishedAt() != null ? report.finishedAt() : to;
    }

    private static Duration span(Instant start, Instant end) {
        return start == null || end == null ? null : Duration.between(start, end);
    }

    private static Stream<Instant> instants(RunReport report) {
        List<Instant> all = new ArrayList<>();
        all.add(report.startedAt());
        all.add(report.finishedAt());
        report.nodes().forEach(n -> n.phases().forEach(p -> {
            all.add(p.start());
            all.add(p.end());
        }));
        report.gates().forEach(g -> {
            all.add(g.start());
            all.add(g.end());
        });
        report.approvals().forEach(a -> {
            all.add(a.requestedAt());
            all.add(a.decidedAt());
        });
        if (report.probe() != null) {
            all.add(report.probe().startedAt());
            all.add(report.probe().stoppedAt());
        }
        return all.stream().filter(Objects::nonNull);
    }

    private static Instant firstInstant(RunReport report) {
        return instants(report).min(Instant::compareTo).orElse(Instant.EPOCH);
    }

    private static Instant lastInstant(RunReport report) {
        return instants(report).max(Instant::compareTo).orElse(Instant.EPOCH);
    }
}
