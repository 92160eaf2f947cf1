package io.haupgrade.spec;

import java.util.List;

/** Cluster-wide commands around the whole rollout and around each node. */
@Doc("Cluster-wide commands around the whole rollout and around each node (e.g. disable an HA policy, stop config sync).")
public record Hooks(
        @Doc(value = "Before any node is touched, after the preflight gate.", example = "zsha2 disable-vm-ha")
        List<CommandSpec> beforeAll,
        @Doc("After the last node, before the final gate (so the gate sees the cluster as the hook left it); also after a failed or aborted rollout that stopped cleanly.")
        List<CommandSpec> afterAll,
        @Doc("Before each node (or batch), after the gate.")
        List<CommandSpec> beforeNode,
        @Doc("After each node (or batch) is unfenced and verified.")
        List<CommandSpec> afterNode) {

    public static final Hooks NONE = new Hooks(null, null, null, null);

    public Hooks {
        beforeAll = Lists.copy(beforeAll);
        afterAll = Lists.copy(afterAll);
        beforeNode = Lists.copy(beforeNode);
        afterNode = Lists.copy(afterNode);
    }
}
