package io.haupgrade.cli;

import io.haupgrade.execute.ApprovalRequest;
import io.haupgrade.execute.RunEvent;
import io.haupgrade.execute.RunListener;
import io.haupgrade.execute.StepStatus;
import io.haupgrade.health.CheckResult;
import io.haupgrade.health.GateResult;
import io.haupgrade.plan.PlanStep;
import io.haupgrade.plan.StepKind;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Renders a run's events for people: one line when a phase starts and one when it ends (time, node, phase, elapsed,
 * outcome), the nodes' command output indented under its phase (already masked by the engine), approvals, warnings
 * and fences left held. {@link Level#QUIET} keeps only phase outcomes, approvals and what went wrong;
 * {@link Level#VERBOSE} adds each command line, its exit code and every gate attempt.
 *
 * <p>On a terminal a status line at the bottom shows the progress (nodes done of the run's nodes, step, current
 * phase); it is redrawn in place and erased before every other line, so it never lands in the scrollback. Without a
 * terminal (CI logs, pipes) there is no status line and no control character.
 */
final class ConsoleRenderer implements RunListener {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final String ERASE_LINE = "\r\033[K";

    /** How much is shown. */
    enum Level {
        /** Phase outcomes, approvals, warnings, held fences, the end. */
        QUIET,
        /** Also phase starts, roles, plans, gate results, waits and the nodes' command output. */
        NORMAL,
        /** Also every command line with its exit code, each gate attempt and each fence change. */
        VERBOSE
    }

    private final PrintWriter out;
    private final Level level;
    private final boolean statusLine;
    private final Map<String, Instant> started = new HashMap<>();
    private final Map<String, String> gateSummary = new HashMap<>();
    /** Every node the run's plans work on, in plan order; and those whose last planned phase is done. */
    private final Set<String> nodes = new LinkedHashSet<>();
    private final Set<String> nodesDone = new LinkedHashSet<>();
    /** Per node: the id of its last node-phase step in the plan in force. */
    private final Map<String, String> lastStepOf = new HashMap<>();
    private int planSize;
    private String current = "starting";
    private boolean statusShown;
    private String shownStatus;

    /**
     * @param statusLine draw the progress line; only for a real terminal ({@code System.console() != null})
     */
    ConsoleRenderer(PrintWriter out, Level level, boolean statusLine) {
        this.out = out;
        this.level = level;
        this.statusLine = statusLine;
    }

    @Override
    public synchronized void on(RunEvent event) {
        if (event instanceof RunEvent.RunStarted e) {
            normal(e, (e.resumed() ? "resuming" : "starting") + " run " + e.runId() + ": " + e.cluster() + " to "
                    + e.targetVersion() + " (" + lower(e.strategy()) + "), started by " + e.startedBy());
        } else if (event instanceof RunEvent.RolesDiscovered e) {
            normal(e, "roles (" + e.source() + "): " + e.roles().entrySet().stream()
                    .map(r -> r.getKey() + " " + lower(r.getValue())
                            + (e.versions().containsKey(r.getKey()) ? " " + e.versions().get(r.getKey()) : ""))
                    .collect(Collectors.joining(", ")));
        } else if (event instanceof RunEvent.Planned e) {
            planned(e);
        } else if (event instanceof RunEvent.StepStarted e) {
            started.put(e.step().id(), e.at());
            current = who(e.step()) + " " + what(e.step()) + (e.step().index() == 0 ? ""
                    : " (step " + e.step().index() + "/" + Math.max(planSize, e.step().index()) + ")");
            if (e.step().kind() != StepKind.APPROVAL) {
                normal(e, columns(who(e.step()), what(e.step()), "started"));
            }
        } else if (event instanceof RunEvent.StepFinished e) {
            finished(e);
        } else if (event instanceof RunEvent.CommandStarted e) {
            if (level == Level.VERBOSE) {
                line("      " + e.node() + " $ " + e.command());
            }
        } else if (event instanceof RunEvent.CommandFinished e) {
            if (level == Level.VERBOSE) {
                line("      " + e.node() + " exit " + e.exitCode() + (e.timedOut() ? " (timed out)" : "") + " after "
                        + elapsed(e.elapsed()));
            }
        } else if (event instanceof RunEvent.OutputLine e) {
            if (level != Level.QUIET) {
                line("      " + e.node() + " | " + e.line());
            }
        } else if (event instanceof RunEvent.GateAttempted e) {
            if (level == Level.VERBOSE) {
                line("      gate attempt: " + e.result().summary());
            }
        } else if (event instanceof RunEvent.GateFinished e) {
            // Shown on the gate step's end line.
            gateSummary.put(e.stepId(), e.result().summary());
        } else if (event instanceof RunEvent.ApprovalRequested e) {
            line(stamp(e) + "APPROVAL " + e.request().point() + ": " + e.request().message());
            // The prompt comes next on the same terminal: no status line under it until the answer.
            out.flush();
            return;
        } else if (event instanceof RunEvent.ApprovalDecided e) {
            line(stamp(e) + "approval " + e.decision().requestId() + ": " + lower(e.decision().answer())
                    + (e.decision().by() == null ? "" : " by " + e.decision().approver())
                    + (e.decision().comment() == null ? "" : " (" + e.decision().comment() + ")"));
        } else if (event instanceof RunEvent.WaitingFor e) {
            normal(e, "      waiting " + seconds(e.soFar()) + " of at most " + seconds(e.limit()) + " for " + e.what());
        } else if (event instanceof RunEvent.Warning e) {
            line(stamp(e) + "WARNING " + (e.node() == null ? "" : e.node() + ": ") + e.message());
        } else if (event instanceof RunEvent.FenceChanged e) {
            if (level == Level.VERBOSE) {
                line(stamp(e) + e.node() + (e.fenced() ? " fenced" : " back in service") + " (" + e.reason() + ")");
            }
        } else if (event instanceof RunEvent.FenceHeld e) {
            line(stamp(e) + "STILL FENCED " + e.node() + ": " + e.reason() + (e.undo() == null || e.undo().isEmpty()
                    ? "" : "; to bring it back: " + e.undo()));
        } else if (event instanceof RunEvent.CancelRequested e) {
            line(stamp(e) + "cancel requested by " + e.by() + ": stopping at the next safe point");
        } else if (event instanceof RunEvent.RunFinished e) {
            eraseStatus();
            String status = lower(e.status());
            line(stamp(e) + "run " + (e.summary().startsWith(status) ? e.summary() : status + ": " + e.summary()));
            out.flush();
            return;
        }
        drawStatus();
        out.flush();
    }

    private void planned(RunEvent.Planned e) {
        planSize = e.steps().size();
        lastStepOf.clear();
        for (PlanStep step : e.steps()) {
            if (step.kind() == StepKind.NODE_PHASE) {
                nodes.addAll(step.nodes());
                step.nodes().forEach(n -> lastStepOf.put(n, step.id()));
            }
        }
        normal(e, "plan (" + e.reason() + "): " + planSize + " steps");
    }

    private void finished(RunEvent.StepFinished e) {
        Instant since = started.remove(e.stepId());
        String took = since == null ? "" : elapsed(Duration.between(since, e.at()));
        boolean ok = e.status() == StepStatus.SUCCEEDED;
        lastStepOf.forEach((node, last) -> {
            if (last.equals(e.stepId()) && e.status().done()) {
                nodesDone.add(node);
            }
        });
        String gate = gateSummary.remove(e.stepId());
        String detail = gate != null ? "  " + gate
                : ok && level != Level.VERBOSE || e.detail() == null || e.detail().isBlank() ? "" : "  " + e.detail();
        line(stamp(e) + columns(whoOf(e.stepId()), whatOf(e.stepId()), (ok ? "ok" : lower(e.status())
                .toUpperCase(Locale.ROOT)) + " " + took) + detail);
    }

    /** A line shown at the normal and verbose levels. */
    private void normal(RunEvent e, String text) {
        if (level != Level.QUIET) {
            line(text.startsWith(" ") ? text : stamp(e) + text);
        }
    }

    private void line(String text) {
        eraseStatus();
        out.println(text);
    }

    private void eraseStatus() {
        if (statusShown) {
            out.print(ERASE_LINE);
            statusShown = false;
        }
    }

    private void drawStatus() {
        if (!statusLine || nodes.isEmpty()) {
            return;
        }
        String status = "[" + nodesDone.size() + "/" + nodes.size() + " nodes done] " + current;
        if (statusShown && status.equals(shownStatus)) {
            return;
        }
        eraseStatus();
        out.print(status);
        shownStatus = status;
        statusShown = true;
    }

    private static String stamp(RunEvent e) {
        return TIME.format(e.at()) + "  ";
    }

    private static String columns(String who, String what, String outcome) {
        return String.format("%-14s %-26s %s", who, what, outcome).stripTrailing();
    }

    /** Where a step works: its nodes, {@code a->b} for a role move, {@code cluster} otherwise. */
    private static String who(PlanStep step) {
        return switch (step.kind()) {
            case NODE_PHASE -> String.join("+", step.nodes());
            case SWITCHOVER, FAILBACK -> step.from() + "->" + step.to();
            default -> "cluster";
        };
    }

    private static String what(PlanStep step) {
        return whatOf(step.id());
    }

    /** The node column from a step id ({@code node:n2:upgrade}, {@code switchover:n1->n2}, {@code gate:final}). */
    static String whoOf(String stepId) {
        String[] parts = stepId.split(":");
        return switch (parts[0]) {
            case "node" -> parts.length > 1 ? parts[1] : stepId;
            case "switchover", "failback" -> parts.length > 1 ? parts[1] : stepId;
            default -> "cluster";
        };
    }

    /** The phase column from a step id: the phase, {@code gate preflight}, {@code switchover}, {@code hook after-all}. */
    static String whatOf(String stepId) {
        // A phase the failure policy adds (rollback, the undo of a fence) has a unique suffix: node:n2:rollback#17...
        int unique = stepId.indexOf('#');
        String[] parts = (unique < 0 ? stepId : stepId.substring(0, unique)).split(":");
        return switch (parts[0]) {
            case "node" -> String.join(" ", List.of(parts).subList(Math.min(2, parts.length), parts.length));
            case "switchover", "failback" -> parts[0];
            default -> String.join(" ", List.of(parts));
        };
    }

    static String elapsed(Duration d) {
        long millis = d.toMillis();
        return millis < 10_000 ? String.format(Locale.ROOT, "%.1fs", millis / 1000.0)
                : millis < 120_000 ? millis / 1000 + "s" : d.toMinutes() + "m" + d.toSecondsPart() + "s";
    }

    /** The approval prompt's text: what was done, what comes next, and the evidence. */
    static String describe(ApprovalRequest request) {
        StringBuilder s = new StringBuilder();
        s.append("APPROVAL NEEDED (").append(request.point()).append("): ").append(request.message()).append('\n');
        ApprovalRequest.Evidence ev = request.evidence();
        if (!ev.versions().isEmpty()) {
            s.append("  versions: ").append(ev.versions()).append('\n');
        }
        if (!ev.roles().isEmpty()) {
            s.append("  roles: ").append(ev.roles()).append('\n');
        }
        if (!ev.fenced().isEmpty()) {
            s.append("  fenced now: ").append(ev.fenced()).append('\n');
        }
        if (ev.downtimeSoFar() != null) {
            s.append("  service downtime so far: ").append(millis(ev.downtimeSoFar())).append('\n');
        }
        GateResult gate = ev.lastGate();
        if (gate != null) {
            s.append("  last gate (").append(gate.at()).append("): ").append(gate.healthy() ? "green" : "RED").append('\n');
            for (Map.Entry<String, List<CheckResult>> node : gate.byNode().entrySet()) {
                for (CheckResult c : node.getValue()) {
                    s.append("    ").append(c.passed() ? "ok   " : "FAIL ").append(c.where()).append(": ")
                            .append(firstLine(c.output())).append('\n');
                }
            }
            gate.problems().forEach(p -> s.append("    FAIL cluster: ").append(p).append('\n'));
        }
        s.append("  answer by ").append(request.deadline()).append(" (then: ")
                .append(request.point().equals("on-failure") ? "abort" : lower(request.onTimeout())).append(")");
        if (request.requireOtherApprover()) {
            s.append("; an approver other than ").append(request.startedBy()).append(" must answer");
        }
        return s.toString();
    }

    private static String firstLine(String text) {
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }

    private static String seconds(Duration d) {
        return d == null ? "?" : d.toSeconds() + "s";
    }

    private static String millis(Duration d) {
        return d.toMillis() + " ms";
    }

    static String lower(Enum<?> value) {
        return value == null ? "" : value.name().toLowerCase().replace('_', '-');
    }
}
