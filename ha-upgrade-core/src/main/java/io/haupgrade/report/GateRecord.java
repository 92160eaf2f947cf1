package io.haupgrade.report;

import java.time.Instant;
import java.util.List;

/**
 * One health gate: the cluster checked until it was healthy (green) or the gate's timeout ran out.
 *
 * @param attempts how many rounds of checks ran
 * @param checks   the last round's result of every check on every node
 */
public record GateRecord(String stepId, String description, Instant start, Instant end, boolean green, int attempts,
                         List<CheckResult> checks) {

    public GateRecord {
        checks = checks == null ? List.of() : List.copyOf(checks);
    }
}
