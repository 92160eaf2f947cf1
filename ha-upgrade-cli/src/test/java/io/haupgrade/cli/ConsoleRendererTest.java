package io.haupgrade.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.haupgrade.execute.ApprovalDecision;
import io.haupgrade.execute.ApprovalRequest;
import io.haupgrade.execute.RunEvent;
import io.haupgrade.execute.RunStatus;
import io.haupgrade.execute.StepStatus;
import io.haupgrade.plan.PlanStep;
import io.haupgrade.plan.StepKind;
import io.haupgrade.spec.ApprovalPoint;
import io.haupgrade.spec.Phase;
import io.haupgrade.spec.Strategy;
import io.haupgrade.spec.TimeoutAction;
import io.haupgrade.ssh.OutputListener;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a person sees of a run at each level, with and without a terminal. */
class ConsoleRendererTest {
    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    private static final PlanStep GATE = new PlanStep(1, "gate:preflight", StepKind.GATE, List.of(), null, null,
            "preflight gate");
    private static final PlanStep UPGRADE_N2 = new PlanStep(2, "node:n2:upgrade", StepKind.NODE_PHASE, List.of("n2"),
            Phase.UPGRADE, null, "upgrade standby n2");
    private static final PlanStep VERIFY_N2 = new PlanStep(3, "node:n2:verify", StepKind.NODE_PHASE, List.of("n2"),
            Phase.VERIFY, null, "verify standby n2");
    private static final PlanStep UPGRADE_N1 = new PlanStep(4, "node:n1:upgrade", StepKind.NODE_PHASE, List.of("n1"),
            Phase.UPGRADE, null, "upgrade n1");

    /** A run: the gate, n2 upgraded and verified, n1's upgrade fails and n1 stays fenced. */
    private static String render(ConsoleRenderer.Level level, boolean terminal) {
        StringWriter text = new StringWriter();
        ConsoleRenderer r = new ConsoleRenderer(new PrintWriter(text), level, terminal);
        r.on(new RunEvent.RunStarted(T0, "run-1", "lb", Strategy.ROLLING, "1.1", "alice", "ops1", false));
        r.on(new RunEvent.Planned(T0, List.of(GATE, UPGRADE_N2, VERIFY_N2, UPGRADE_N1), "initial plan", null));
        r.on(new RunEvent.StepStarted(at(0), GATE));
        r.on(new RunEvent.StepFinished(at(200), GATE.id(), StepStatus.SUCCEEDED, "green", null));
        r.on(new RunEvent.StepStarted(at(300), UPGRADE_N2));
        r.on(new RunEvent.CommandStarted(at(300), "n2", UPGRADE_N2.id(), "upgrade", "apt-get install -y app=1.1"));
        r.on(new RunEvent.OutputLine(at(400), "n2", "upgrade", OutputListener.OutputStream.STDOUT, "Setting up app"));
        r.on(new RunEvent.CommandFinished(at(1700), "n2", UPGRADE_N2.id(), "upgrade", "apt-get install -y app=1.1", 0,
                false, Duration.ofMillis(1400), "Setting up app"));
        r.on(new RunEvent.StepFinished(at(1800), UPGRADE_N2.id(), StepStatus.SUCCEEDED, "done", 0));
        r.on(new RunEvent.StepStarted(at(1900), VERIFY_N2));
        r.on(new RunEvent.StepFinished(at(2000), VERIFY_N2.id(), StepStatus.SUCCEEDED, "n2 verified", null));
        r.on(new RunEvent.StepStarted(at(2100), UPGRADE_N1));
        r.on(new RunEvent.StepFinished(at(14_100), UPGRADE_N1.id(), StepStatus.FAILED, "exit 1: disk full", 1));
        r.on(new RunEvent.FenceHeld(at(14_200), "n1", "upgrade failed; onFailure: abort", "pcs node unstandby n1"));
        r.on(new RunEvent.RunFinished(at(14_300), RunStatus.FAILED, "step node:n1:upgrade",
                "failed at step node:n1:upgrade: exit 1: disk full; STILL FENCED: n1"));
        return text.toString();
    }

    private static Instant at(long millis) {
        return T0.plusMillis(millis);
    }

    @Test
    void normalShowsOneLinePerPhaseStartAndEndWithElapsedAndOutcomeAndTheOutputIndentedUnderIt() {
        String out = render(ConsoleRenderer.Level.NORMAL, false);

        List<String> lines = out.lines().toList();
        int start = lines.indexOf("10:00:00  n2             upgrade                    started");
        assertThat(start).as(out).isPositive();
        assertThat(lines.get(start + 1)).isEqualTo("      n2 | Setting up app");
        assertThat(lines.get(start + 2)).isEqualTo("10:00:01  n2             upgrade                    ok 1.5s");
        assertThat(out).contains("n1             upgrade                    FAILED 12s  exit 1: disk full")
                .contains("STILL FENCED n1: upgrade failed; onFailure: abort; to bring it back: pcs node unstandby n1")
                .contains("run failed at step node:n1:upgrade")
                .doesNotContain("apt-get install").doesNotContain("\033").doesNotContain("\r");
    }

    @Test
    void quietKeepsOnlyOutcomesAndProblems() {
        String out = render(ConsoleRenderer.Level.QUIET, false);

        assertThat(out).doesNotContain("started").doesNotContain("Setting up app").doesNotContain("plan (")
                .contains("n2             upgrade                    ok 1.5s")
                .contains("FAILED 12s").contains("STILL FENCED n1").contains("run failed");
    }

    @Test
    void verboseAddsTheCommandLinesAndTheirExitCodes() {
        String out = render(ConsoleRenderer.Level.VERBOSE, false);

        assertThat(out).contains("      n2 $ apt-get install -y app=1.1").contains("      n2 exit 0 after 1.4s")
                .contains("ok 1.5s  done");
        assertThat(out.indexOf("n2 $ apt-get")).isLessThan(out.indexOf("n2 | Setting up app"));
    }

    @Test
    void onATerminalAStatusLineShowsNodesDoneAndTheCurrentPhaseAndIsErasedBeforeEveryLine() {
        String out = render(ConsoleRenderer.Level.NORMAL, true);

        assertThat(out).contains("[0/2 nodes done] n2 upgrade (step 2/4)")
                .contains("[1/2 nodes done] n1 upgrade (step 4/4)");
        // Every line printed after the status line starts by erasing it, so no status text stays in a line.
        for (String line : out.split("\n")) {
            int erased = line.lastIndexOf("\033[K");
            String visible = erased < 0 ? line : line.substring(erased + 3);
            assertThat(visible).doesNotContain("nodes done]").as(line);
        }
        assertThat(out).endsWith("run failed at step node:n1:upgrade: exit 1: disk full; STILL FENCED: n1\n");
    }

    @Test
    void anApprovalRequestLeavesTheTerminalToThePromptWithoutAStatusLine() {
        StringWriter text = new StringWriter();
        ConsoleRenderer r = new ConsoleRenderer(new PrintWriter(text), ConsoleRenderer.Level.NORMAL, true);
        PlanStep approval = new PlanStep(2, "approval:before-switchover", StepKind.APPROVAL, List.of(), null,
                ApprovalPoint.BEFORE_SWITCHOVER, "n2 runs 1.1; next: switch over");
        r.on(new RunEvent.Planned(T0, List.of(UPGRADE_N2, approval), "initial plan", null));
        r.on(new RunEvent.StepStarted(at(0), approval));
        r.on(new RunEvent.ApprovalRequested(at(10), new ApprovalRequest("a1", approval.id(), "before-switchover",
                "n2 runs 1.1; next: switch over", List.of(ApprovalDecision.Answer.PROCEED, ApprovalDecision.Answer.ABORT),
                at(10), at(60_000), TimeoutAction.ABORT, "alice", false, List.of(),
                new ApprovalRequest.Evidence(null, Map.of(), Map.of(), List.of(), null))));

        assertThat(text.toString()).endsWith("APPROVAL before-switchover: n2 runs 1.1; next: switch over\n");
    }
}
