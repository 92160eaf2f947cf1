package io.haupgrade.execute;

import io.haupgrade.health.GateResult;
import io.haupgrade.spec.Role;
import io.haupgrade.spec.TimeoutAction;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The run is paused until a person answers. {@code message} says what was done and what comes next; the evidence
 * is what that person needs to decide. A plan approval point offers proceed or abort; a failure offers retry, skip
 * or abort. Nobody answering by {@code deadline} is recorded as a timeout, never as a person's decision.
 *
 * @param id      unique within the run; answers name it
 * @param point   the approval point in kebab case ({@code before-switchover}) or {@code on-failure}
 * @param choices the answers allowed
 */
public record ApprovalRequest(
        String id,
        String stepId,
        String point,
        String message,
        List<ApprovalDecision.Answer> choices,
        Instant requestedAt,
        Instant deadline,
        TimeoutAction onTimeout,
        String startedBy,
        boolean requireOtherApprover,
        List<String> submitters,
        Evidence evidence) {

    public ApprovalRequest {
        choices = List.copyOf(choices);
        submitters = List.copyOf(submitters);
    }

    public Duration timeout() {
        return Duration.between(requestedAt, deadline);
    }

    /**
     * What a person looks at before answering.
     *
     * @param lastGate     the latest gate result (per node and per check), or null when no gate ran yet
     * @param versions     the version each node runs, as last read
     * @param roles        the role each node has, as last read
     * @param fenced       nodes out of service right now
     * @param downtimeSoFar the probe's measured downtime so far, or null without a probe
     */
    public record Evidence(GateResult lastGate, Map<String, String> versions, Map<String, Role> roles,
            List<String> fenced, Duration downtimeSoFar) {
        public Evidence {
            versions = Map.copyOf(versions);
            roles = Map.copyOf(roles);
            fenced = List.copyOf(fenced);
        }
    }
}
