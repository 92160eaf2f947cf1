package io.haupgrade.report;

import java.util.List;

/**
 * One step of the plan as it was planned.
 *
 * @param id          the plan's step id, e.g. {@code 4}
 * @param kind        what the step does, e.g. {@code gate}, {@code upgrade-node}, {@code approval}, {@code switchover}
 * @param nodes       the nodes it touches, empty for cluster-wide steps
 * @param description the step in words
 */
public record ReportStep(String id, String kind, List<String> nodes, String description) {

    public ReportStep {
        nodes = nodes == null ? List.of() : List.copyOf(nodes);
    }
}
