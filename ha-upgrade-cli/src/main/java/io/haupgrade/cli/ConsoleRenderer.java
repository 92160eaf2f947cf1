package io.haupgrade.cli;

import io.haupgrade.execute.ApprovalRequest;
import io.haupgrade.execute.RunEvent;
import io.haupgrade.execute.RunListener;
import io.haupgrade.execute.StepStatus;
import io.haupgrade.health.CheckResult;
import io.haupgrade.health.GateResult;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/** Renders a run's events for a terminal: one line per fact, command output indented under its node. */
final class ConsoleRenderer implements RunListener {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

    private final PrintWriter out;
    private final boolean verbose;

    ConsoleRenderer(PrintWriter out, boolean verbose) {
        this.out = out;
        this.verbose = verbose;
    }

    @Override
    public synchronized void on(RunEvent event) {
        String t = TIME.format(event.at()) + " ";
        if (event instanceof RunEvent.RunStarted e) {
            out.println(t + (e.resumed() ? "resuming" : "starting") + " run " + e.runId() + ": " + e.cluster() + " to "
                    + e.targetVersion() + " (" + lower(e.strategy()) + "), by " + e.startedBy());
        } else if (event instanceof RunEvent.RolesDiscovered e) {
            out.println(t + "roles (" + e.source() + "): " + e.roles() + (e.versions().isEmpty() ? ""
                    : "; versions: " + e.versions()));
        } else if (event instanceof RunEvent.Planned e) {
            out.println(t + "plan (" + e.reason() + "): " + e.steps().size() + " steps");
        } else if (event instanceof RunEvent.StepStarted e) {
            out.println(t + "> " + e.step().id() + "  " + e.step().description());
        } else if (event instanceof RunEvent.StepFinished e) {
            String mark = e.status() == StepStatus.SUCCEEDED ? "ok" : lower(e.status()).toUpperCase();
            out.println(t + "  " + mark + " " + e.stepId() + (e.status() == StepStatus.SUCCEEDED && !verbose ? ""
                    : ": " + e.detail()));
        } else if (event instanceof RunEvent.CommandStarted e) {
            if (verbose) {
                out.println("    " + e.node() + " $ " + e.command());
            }
        } else if (event instanceof RunEvent.OutputLine e) {
            if (verbose) {
                out.println("    " + e.node() + " | " + e.line());
            }
        } else if (event instanceof RunEvent.GateFinished e) {
            out.println(t + "  gate " + e.stepId() + ": " + e.result().summary());
        } else if (event instanceof RunEvent.WaitingFor e) {
            out.println(t + "  waiting " + seconds(e.soFar()) + " of at most " + seconds(e.limit()) + " for " + e.what());
        } else if (event instanceof RunEvent.Warning e) {
            out.println(t + "WARNING " + (e.node() == null ? "" : e.node() + ": ") + e.message());
        } else if (event instanceof RunEvent.FenceHeld e) {
            out.println(t + "STILL FENCED " + e.node() + ": " + e.reason() + (e.undo() == null || e.undo().isEmpty() ? ""
                    : "; to bring it back: " + e.undo()));
        } else if (event instanceof RunEvent.CancelRequested e) {
            out.println(t + "cancel requested by " + e.by() + ": stopping at the next safe point");
        } else if (event instanceof RunEvent.ApprovalDecided e) {
            out.println(t + "approval " + e.decision().requestId() + ": " + lower(e.decision().answer())
                    + (e.decision().by() == null ? "" : " by " + e.decision().by()));
        } else if (event instanceof RunEvent.RunFinished e) {
            out.println(t + "run " + lower(e.status()) + (e.stoppedAt() == null ? "" : " at " + e.stoppedAt()));
            out.println("  " + e.summary());
        }
        out.flush();
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
