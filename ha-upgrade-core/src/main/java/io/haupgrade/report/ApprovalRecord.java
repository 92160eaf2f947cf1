package io.haupgrade.report;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.time.Instant;

/**
 * One pause for a person's approval.
 *
 * @param point       the approval point in kebab case ({@code before-switchover}, ...) or {@code on-failure}
 * @param message     what the person was asked
 * @param requestedAt when the run paused
 * @param decision    null when the run ended while still waiting
 * @param by          who answered; null for a timeout
 * @param admittedAs  null, or how the driver admitted {@code by} when the submitters do not name them as written
 * @param decidedAt   when the answer came; null when none came
 * @param comment     the person's comment or choice (e.g. {@code retry}); may be null
 */
@JsonIgnoreProperties(value = {"waited", "approver"}, allowGetters = true)
public record ApprovalRecord(String stepId, String point, String message, Instant requestedAt, Decision decision,
                             String by, String admittedAs, Instant decidedAt, String comment) {

    /** Who answered, for people: "alice", or "alice (admitted as Jenkins administrator)"; null for a timeout. */
    @JsonProperty("approver")
    public String approver() {
        return approver(by, admittedAs);
    }

    /** The one way an approver is named for people, wherever an answer is shown. */
    public static String approver(String by, String admittedAs) {
        return by == null || admittedAs == null ? by : by + " (admitted as " + admittedAs + ")";
    }

    /** How long the run waited for the answer; null when none came. */
    @JsonProperty("waited")
    public Duration waited() {
        return requestedAt == null || decidedAt == null ? null : Duration.between(requestedAt, decidedAt);
    }
}
