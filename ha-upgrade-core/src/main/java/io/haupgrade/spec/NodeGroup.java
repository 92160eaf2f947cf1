package io.haupgrade.spec;

import java.util.List;

/**
 * Nodes that must not be down together beyond a limit: the two peers of a pair, the members of a
 * pool, the nodes of a rack.
 */
@Doc("Nodes that must not be down together beyond a limit (the two peers of a pair, the members of a pool).")
public record NodeGroup(
        @Required @Doc(value = "Name of the group.", example = "lb-pair-a") String name,
        @Required @Doc(value = "Node names in the group.", example = "[lb1, lb2]") List<String> members,
        @Doc("Most members of this group fenced or down at once. Default: 1.") Integer maxUnavailable) {

    public NodeGroup {
        members = Lists.copy(members);
        maxUnavailable = maxUnavailable == null ? 1 : maxUnavailable;
    }
}
