package io.jenkins.plugins.haupgrade;

import static org.assertj.core.api.Assertions.assertThat;

import io.haupgrade.execute.ApprovalDecision.Answer;
import io.haupgrade.execute.ApprovalRequest;
import io.haupgrade.spec.TimeoutAction;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The engine's approval request as the build page, the console and the REST API use it. */
class PendingApprovalTest {
    private static ApprovalRequest request(String id, List<Answer> choices) {
        Instant at = Instant.parse("2026-11-23T10:00:00Z");
        return new ApprovalRequest(id, "node:lb2:upgrade", "on-failure", "FAILED step node:lb2:upgrade", choices, at,
                at.plus(Duration.ofHours(1)), TimeoutAction.ABORT, "carol", true, List.of("ops"),
                new ApprovalRequest.Evidence(null, Map.of("lb2", "6.1.1"), Map.of(), List.of("lb2"),
                        Duration.ofMillis(1500)));
    }

    @Test
    void theUrlIdIsOnePathSegmentEvenForFailureApprovals() {
        PendingApproval p = PendingApproval.of(request("node:lb2:upgrade#1700000000000",
                List.of(Answer.RETRY, Answer.SKIP, Answer.ABORT)));
        assertThat(p.getId()).isEqualTo("node-lb2-upgrade-1700000000000").doesNotContain("#", ":", "/");
        assertThat(p.getRequestId()).isEqualTo("node:lb2:upgrade#1700000000000");
        assertThat(p.getChoices()).containsExactly("retry", "skip", "abort");
    }

    @Test
    void theEvidenceSaysWhatIsOutOfServiceAndTheDowntimeSoFar() {
        PendingApproval p = PendingApproval.of(request("approval:before-switchover",
                List.of(Answer.PROCEED, Answer.ABORT)));
        assertThat(p.getEvidence()).contains("out of service: lb2", "service downtime so far: 1.5 s");
        assertThat(p.getSubmitters()).containsExactly("ops");
        assertThat(p.isRequireOtherApprover()).isTrue();
        assertThat(PendingApproval.answer("proceed")).isEqualTo(Answer.PROCEED);
    }
}
