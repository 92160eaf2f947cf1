package io.haupgrade.report;

import io.haupgrade.spec.Role;
import java.util.List;

/**
 * One node: where it started, where it ended, and every phase run on it in order.
 *
 * @param roleBefore role at the start of the run (discovered, else declared); null when unknown
 * @param roleAfter  role at the end of the run; null when unknown
 * @param outcome    where the node ended up; null when the engine did not say and no phase failed
 */
public record NodeReport(String name, String host, Role roleBefore, Role roleAfter, String versionBefore,
                         String versionAfter, NodeOutcome outcome, List<PhaseRecord> phases) {

    public NodeReport {
        phases = phases == null ? List.of() : List.copyOf(phases);
    }
}
