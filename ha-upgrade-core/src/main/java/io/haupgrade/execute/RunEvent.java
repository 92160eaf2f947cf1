package io.haupgrade.execute;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.haupgrade.health.GateResult;
import io.haupgrade.plan.Plan;
import io.haupgrade.plan.PlanStep;
import io.haupgrade.probe.ProbeResult;
import io.haupgrade.spec.Role;
import io.haupgrade.spec.Strategy;
import io.haupgrade.ssh.OutputListener;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What happens in a run, as typed facts. The CLI renders them, the plugin will print them to the build log, the
 * journal persists the {@linkplain #durable() durable} ones (one JSON line each) and the report is built from that
 * journal: one stream of facts behind every view. Texts in events are already masked.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = RunEvent.RunStarted.class, name = "run-started"),
    @JsonSubTypes.Type(value = RunEvent.RolesDiscovered.class, name = "roles"),
    @JsonSubTypes.Type(value = RunEvent.Planned.class, name = "planned"),
    @JsonSubTypes.Type(value = RunEvent.StepStarted.class, name = "step-started"),
    @JsonSubTypes.Type(value = RunEvent.StepFinished.class, name = "step-finished"),
    @JsonSubTypes.Type(value = RunEvent.CommandStarted.class, name = "command-started"),
    @JsonSubTypes.Type(value = RunEvent.CommandFinished.class, name = "command-finished"),
    @JsonSubTypes.Type(value = RunEvent.OutputLine.class, name = "output"),
    @JsonSubTypes.Type(value = RunEvent.GateAttempted.class, name = "gate-attempt"),
    @JsonSubTypes.Type(value = RunEvent.GateFinished.class, name = "gate"),
    @JsonSubTypes.Type(value = RunEvent.ApprovalRequested.class, name = "approval-requested"),
    @JsonSubTypes.Type(value = RunEvent.ApprovalDecided.class, name = "approval-decided"),
    @JsonSubTypes.Type(value = RunEvent.WaitingFor.class, name = "waiting"),
    @JsonSubTypes.Type(value = RunEvent.Warning.class, name = "warning"),
    @JsonSubTypes.Type(value = RunEvent.ProbeMeasured.class, name = "probe-measured"),
    @JsonSubTypes.Type(value = RunEvent.FenceChanged.class, name = "fence"),
    @JsonSubTypes.Type(value = RunEvent.FenceHeld.class, name = "fence-held"),
    @JsonSubTypes.Type(value = RunEvent.CancelRequested.class, name = "cancel-requested"),
    @JsonSubTypes.Type(value = RunEvent.RunFinished.class, name = "run-finished")
})
public sealed interface RunEvent {
    Instant at();

    /** Whether the journal keeps it: progress chatter (output lines, gate attempts, waits) is not kept. */
    default boolean durable() {
        return true;
    }

    /** A run began (or was resumed: a second RunStarted with {@code resumed} set). */
    record RunStarted(Instant at, String runId, String cluster, Strategy strategy, String targetVersion,
            String startedBy, String host, boolean resumed) implements RunEvent {
    }

    /** Roles and versions read from the live cluster ({@code source} "discovered") or taken as declared. */
    record RolesDiscovered(Instant at, Map<String, Role> roles, Map<String, String> versions, String source)
            implements RunEvent {
    }

    /**
     * The plan in force from now on: at the start, and whenever the remaining work was planned again, with the span
     * where old and new versions serve together (null when they never do) and, for a plan that takes the service
     * down on purpose (full-stop), the longest the downtime window may last (null otherwise).
     */
    record Planned(Instant at, List<PlanStep> steps, String reason, Plan.MixedVersionWindow mixedWindow,
            Duration expectedDowntime) implements RunEvent {

        /** A plan without a planned downtime window. */
        public Planned(Instant at, List<PlanStep> steps, String reason, Plan.MixedVersionWindow mixedWindow) {
            this(at, steps, reason, mixedWindow, null);
        }
    }

    record StepStarted(Instant at, PlanStep step) implements RunEvent {
    }

    record StepFinished(Instant at, String stepId, StepStatus status, String detail, Integer exitCode)
            implements RunEvent {
    }

    /** A command is about to be sent to {@code node}; {@code phase} is the phase, hook or purpose. */
    record CommandStarted(Instant at, String node, String stepId, String phase, String command) implements RunEvent {
    }

    record CommandFinished(Instant at, String node, String stepId, String phase, String command, int exitCode,
            boolean timedOut, Duration elapsed, String outputTail) implements RunEvent {
    }

    record OutputLine(Instant at, String node, String phase, OutputListener.OutputStream stream, String line)
            implements RunEvent {
        @Override
        public boolean durable() {
            return false;
        }
    }

    record GateAttempted(Instant at, String stepId, GateResult result) implements RunEvent {
        @Override
        public boolean durable() {
            return false;
        }
    }

    /** A gate's final result: green, or red after its timeout. */
    record GateFinished(Instant at, String stepId, String description, Instant started, GateResult result)
            implements RunEvent {
    }

    record ApprovalRequested(Instant at, ApprovalRequest request) implements RunEvent {
    }

    record ApprovalDecided(Instant at, ApprovalDecision decision) implements RunEvent {
    }

    /** A wait is taking long: what it waits for, for how long so far, and its limit. */
    record WaitingFor(Instant at, String node, String what, Duration soFar, Duration limit) implements RunEvent {
        @Override
        public boolean durable() {
            return false;
        }
    }

    record Warning(Instant at, String node, String message) implements RunEvent {
    }

    /** A node went out of service ({@code fenced}) or came back. Fenced from the moment its fence starts. */
    record FenceChanged(Instant at, String node, boolean fenced, String stepId, String reason) implements RunEvent {
    }

    /** The run ends with this node still fenced: why, and what would bring it back. */
    record FenceHeld(Instant at, String node, String reason, String undo) implements RunEvent {
    }

    record CancelRequested(Instant at, String by, String reason) implements RunEvent {
    }

    /**
     * The service probe of this process so far (after each step) or in all (when the process stops probing):
     * the report adds up the last record of each stretch, so a killed process loses at most its last step's.
     */
    record ProbeMeasured(Instant at, ProbeResult result) implements RunEvent {
    }

    /** The run ended; {@code stoppedAt} says where and why when it did not succeed. */
    record RunFinished(Instant at, RunStatus status, String stoppedAt, String summary) implements RunEvent {
    }
}
