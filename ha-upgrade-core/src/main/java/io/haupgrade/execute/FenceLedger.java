package io.haupgrade.execute;

import io.haupgrade.spec.NodeGroup;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which nodes are out of service because of this run, and why: filled from the journal's fence events, so it is
 * the same after a resume. Enforces maxUnavailable and the group limits at run time, whatever the plan says.
 */
public final class FenceLedger {
    private final int maxUnavailable;
    private final List<NodeGroup> groups;
    private final Map<String, String> fenced = new LinkedHashMap<>();

    public FenceLedger(int maxUnavailable, List<NodeGroup> groups) {
        this.maxUnavailable = maxUnavailable;
        this.groups = List.copyOf(groups);
    }

    /** Why fencing {@code nodes} now would break a limit, or empty when it is allowed. */
    public synchronized Optional<String> refusal(Collection<String> nodes) {
        long after = fenced.size() + nodes.stream().filter(n -> !fenced.containsKey(n)).count();
        if (after > maxUnavailable) {
            return Optional.of("fencing " + nodes + " would put " + after + " nodes out of service (" + fenced.keySet()
                    + " already are); maxUnavailable is " + maxUnavailable);
        }
        for (NodeGroup group : groups) {
            long inGroup = group.members().stream().filter(m -> fenced.containsKey(m) || nodes.contains(m)).count();
            if (inGroup > group.maxUnavailable()) {
                return Optional.of("fencing " + nodes + " would put " + inGroup + " members of group " + group.name()
                        + " out of service; its maxUnavailable is " + group.maxUnavailable());
            }
        }
        return Optional.empty();
    }

    synchronized void fenced(String node, String reason) {
        fenced.put(node, reason);
    }

    synchronized void unfenced(String node) {
        fenced.remove(node);
    }

    public synchronized List<String> nodes() {
        return List.copyOf(fenced.keySet());
    }

    public synchronized boolean isFenced(String node) {
        return fenced.containsKey(node);
    }

    public synchronized int size() {
        return fenced.size();
    }
}
