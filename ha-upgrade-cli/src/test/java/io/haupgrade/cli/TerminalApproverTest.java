package io.haupgrade.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.haupgrade.execute.ApprovalDecision;
import io.haupgrade.execute.ApprovalDecision.Answer;
import io.haupgrade.execute.ApprovalRequest;
import io.haupgrade.health.CheckResult;
import io.haupgrade.health.GateResult;
import io.haupgrade.spec.Role;
import io.haupgrade.spec.TimeoutAction;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TerminalApproverTest {
    private static final Instant AT = Instant.parse("2026-11-23T10:00:00Z");

    private static ApprovalRequest request() {
        GateResult gate = new GateResult(true, 1, AT, Duration.ofMillis(80), Map.of("zva5n1", Role.PRIMARY),
                Map.of("zva5n2", "6.1.2"), List.of(CheckResult.pass("zva5n2", "service", "ok", Duration.ZERO)), List.of());
        return new ApprovalRequest("approval:before-switchover", "approval:before-switchover", "before-switchover",
                "backup zva5n2 upgraded to 6.1.2 and verified; next: switch over and upgrade primary zva5n1",
                List.of(Answer.PROCEED, Answer.ABORT), AT, AT.plus(Duration.ofHours(1)), TimeoutAction.ABORT, "alice",
                true, List.of(), new ApprovalRequest.Evidence(gate, Map.of("zva5n1", "6.1.1", "zva5n2", "6.1.2"),
                Map.of("zva5n1", Role.PRIMARY), List.of(), Duration.ofMillis(40)));
    }

    @Test
    void promptShowsWhatWasDoneWhatComesNextAndTheEvidenceThenReadsTheAnswer() throws Exception {
        StringWriter out = new StringWriter();
        TerminalApprover approver = new TerminalApprover(new BufferedReader(new StringReader("maybe\np\n")),
                new PrintWriter(out), "bob", Clock.systemUTC());

        Optional<ApprovalDecision> decision = approver.ask(request());

        assertThat(decision).hasValueSatisfying(d -> {
            assertThat(d.answer()).isEqualTo(Answer.PROCEED);
            assertThat(d.by()).isEqualTo("bob");
        });
        assertThat(out.toString()).contains("next: switch over and upgrade primary zva5n1")
                .contains("ok   zva5n2/service: ok").contains("downtime so far: 40 ms")
                .contains("an approver other than alice must answer").contains("answer one of: proceed/abort");
    }

    @Test
    void endOfInputIsNoAnswerNotAnAbort() throws Exception {
        TerminalApprover approver = new TerminalApprover(new BufferedReader(new StringReader("")),
                new PrintWriter(new StringWriter()), "bob", Clock.systemUTC());

        assertThat(approver.ask(request())).isEmpty();
    }
}
