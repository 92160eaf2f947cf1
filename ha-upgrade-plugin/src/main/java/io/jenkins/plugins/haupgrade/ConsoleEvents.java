package io.jenkins.plugins.haupgrade;

import io.haupgrade.execute.RunEvent;
import io.haupgrade.execute.RunListener;
import io.haupgrade.spec.SpecOverrides;
import io.haupgrade.ssh.SecretMasker;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * Renders a run's events for the build console, one line each, every line through the run's {@link SecretMasker}
 * (the engine masks command output already; this also covers messages that quote a command line). Gate attempts
 * are left out: the gate's end says what a person needs.
 */
final class ConsoleEvents implements RunListener {
    private final PrintStream out;
    private final SecretMasker masker;

    ConsoleEvents(PrintStream out, SecretMasker masker) {
        this.out = out;
        this.masker = masker;
    }

    @Override
    public void on(RunEvent event) {
        String line = render(event);
        if (line != null) {
            synchronized (out) {
                out.println(masker.mask(line));
            }
        }
    }

    static String render(RunEvent event) {
        if (event instanceof RunEvent.RunStarted e) {
            return "[ha-upgrade] " + (e.resumed() ? "resuming" : "starting") + " run " + e.runId() + " of "
                    + e.cluster() + ": " + SpecOverrides.kebab(e.strategy()) + " to " + e.targetVersion() + " (by "
                    + e.startedBy() + ")";
        } else if (event instanceof RunEvent.RolesDiscovered e) {
            return "[ha-upgrade] roles (" + e.source() + "): " + e.roles() + ", versions: " + e.versions();
        } else if (event instanceof RunEvent.Planned e) {
            return "[ha-upgrade] " + e.reason() + ": " + e.steps().size() + " steps";
        } else if (event instanceof RunEvent.StepStarted e) {
            return "[ha-upgrade] >> " + e.step().id() + ": " + e.step().description();
        } else if (event instanceof RunEvent.StepFinished e) {
            return "[ha-upgrade] " + SpecOverrides.kebab(e.status()) + " " + e.stepId()
                    + (e.detail() == null || e.detail().isBlank() ? "" : ": " + e.detail());
        } else if (event instanceof RunEvent.CommandStarted e) {
            return "[" + e.node() + "] $ " + e.command();
        } else if (event instanceof RunEvent.CommandFinished e) {
            return e.exitCode() == 0 ? null : "[" + e.node() + "] exit " + e.exitCode()
                    + (e.timedOut() ? " (timed out)" : "") + " after " + elapsed(e.elapsed());
        } else if (event instanceof RunEvent.OutputLine e) {
            return "[" + e.node() + "] " + e.line();
        } else if (event instanceof RunEvent.GateFinished e) {
            return "[ha-upgrade] " + e.description() + ": " + (e.result().healthy() ? "healthy" : "NOT healthy")
                    + " - " + e.result().summary();
        } else if (event instanceof RunEvent.ApprovalRequested e) {
            return "[ha-upgrade] approval needed (" + e.request().point() + "): " + e.request().message();
        } else if (event instanceof RunEvent.ApprovalDecided e) {
            return "[ha-upgrade] approval " + e.decision().requestId() + ": "
                    + SpecOverrides.kebab(e.decision().answer())
                    + (e.decision().by() == null ? "" : " by " + e.decision().approver())
                    + (e.decision().comment() == null ? "" : " (" + e.decision().comment() + ")");
        } else if (event instanceof RunEvent.WaitingFor e) {
            return "[ha-upgrade] waiting for " + e.what() + ": " + e.soFar().toSeconds() + "s of "
                    + e.limit().toSeconds() + "s";
        } else if (event instanceof RunEvent.Warning e) {
            return "[ha-upgrade] WARNING" + (e.node() == null ? "" : " " + e.node()) + ": " + e.message();
        } else if (event instanceof RunEvent.FenceChanged e) {
            return "[ha-upgrade] " + e.node() + (e.fenced() ? " out of service: " : " back in service: ") + e.reason();
        } else if (event instanceof RunEvent.FenceHeld e) {
            return "[ha-upgrade] STILL FENCED " + e.node() + ": " + e.reason() + "; to undo by hand: " + e.undo();
        } else if (event instanceof RunEvent.CancelRequested e) {
            return "[ha-upgrade] stop requested by " + e.by() + ": " + e.reason();
        } else if (event instanceof RunEvent.RunFinished e) {
            return "[ha-upgrade] run " + SpecOverrides.kebab(e.status()) + ": " + e.summary();
        }
        return null;
    }

    /** {@code 311 ms}, {@code 30.0 s}: as the report writes a step's time, not Duration's {@code PT0.311S}. */
    private static String elapsed(Duration d) {
        long ms = d.toMillis();
        return ms < 1000 ? ms + " ms" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }
}
