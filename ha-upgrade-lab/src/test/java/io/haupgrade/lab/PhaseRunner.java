package io.haupgrade.lab;

import java.util.List;
import java.util.Map;

/**
 * Runs single phases of the lab's cluster spec over SSH the way the engine does: each command on the nodes its
 * {@code on} names. For tests of one phase's commands in isolation; whole runs go through the real tool
 * ({@link EngineRolloutLabTest}).
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
        run(phase, node, null);
    }

    /** As {@link #run(String, String)} for a switchover or failback: {@code on: peer} runs on {@code peer}. */
    public void run(String phase, String node, String peer) {
        for (LabClusterSpec.Command command : spec.phase(phase, variables)) {
            for (String target : targets(command.on(), node, peer)) {
                lab.ssh(target, command.run()).requireSuccess(phase + " of " + node + " on " + target);
            }
        }
    }

    private List<String> targets(String on, String node, String peer) {
        return switch (on) {
            case "self" -> List.of(node);
            case "peer" -> {
                if (peer == null) {
                    throw new LabException("'on: peer' outside a switchover or failback (node " + node + ")");
                }
                yield List.of(lab.node(peer).name());
            }
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
