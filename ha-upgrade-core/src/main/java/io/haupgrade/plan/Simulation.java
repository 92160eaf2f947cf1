package io.haupgrade.plan;

import java.util.List;

/**
 * A plan walked step by step: the state after each step, and every safety rule the order breaks.
 *
 * @param violations empty for a safe plan; each names the step and the rule
 */
public record Simulation(List<SimulatedStep> steps, List<String> violations) {

    public Simulation {
        steps = List.copyOf(steps);
        violations = List.copyOf(violations);
    }

    public boolean safe() {
        return violations.isEmpty();
    }

    /** The state after the step with this id. */
    public SimulatedStep after(String stepId) {
        return steps.stream().filter(s -> s.step().id().equals(stepId)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no step " + stepId + " in the simulated plan"));
    }

    /** The most members out of service at once over the whole plan. */
    public int maxOutOfService() {
        return steps.stream().mapToInt(s -> s.outOfService().size()).max().orElse(0);
    }
}
