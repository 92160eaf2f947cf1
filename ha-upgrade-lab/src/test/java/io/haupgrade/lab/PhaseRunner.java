package io.haupgrade.lab;

import java.util.List;
import java.util.Map;

/**
 * Runs the phases of the lab's cluster spec over SSH the way the engine will: each command on the nodes its
 * {@code on} names. A stand-in until the engine lands, so that the spec's commands are proven on the lab now.
 */
public final class PhaseRunner {
    private final Lab lab;
    private final LabClusterSpec spec;
    private final Map<String, String> variables;

    public PhaseRunner(Lab lab, LabClusterSpec spec, Map<String, String> variables) {
        this.lab = lab;
        this.spec = spec;
        this.variables = Map.copyOf(variables);
    }

    /** Runs every command of {@code phase} for {@code node}; fails with the phase, node and output on a failure. */
    public void run(String phase, String node) {
        for (LabClusterSpec.Command command : spec.phase(phase, variables)) {
            for (String target : targets(command.on(), node)) {
                lab.ssh(target, command.run()).requireSuccess(phase + " of " + node + " on " + target);
            }
        }
    }

    private List<String> targets(String on, String node) {
        return switch (on) {
            case "self" -> List.of(node);
            case "others" -> lab.nodes().stream().map(LabNode::name).filter(n -> !n.equals(node)).toList();
            case "primary" -> {
                List<String> holders = lab.vipHolders();
                if (holders.size() != 1) {
                    throw new LabException("no single primary to run a command on: VIP holders " + holders);
                }
                yield holders;
            }
            case "all" -> lab.nodes().stream().map(LabNode::name).toList();
            default -> List.of(lab.node(on).name());
        };
    }
}
