package io.haupgrade.spec;

/** Whether a node is in the cluster now or joins it during a {@code replace} rollout. */
@Doc("Whether a node is a member now or a new-version node that joins during a replace rollout.")
public enum Membership {
    @Doc("In the cluster now; upgraded in place (or removed, in a replace rollout).")
    MEMBER,
    @Doc("A new node already at the target version; joins the cluster in a replace rollout.")
    INCOMING
}
