package io.haupgrade.profile;

import io.haupgrade.spec.Doc;

/** Policy defaults a profile gives; the cluster file's policy wins where it writes a value. */
@Doc("Policy defaults of the profile; the cluster file's policy wins where it writes a value.")
public record ProfilePolicy(
        @Doc("The stack needs a majority of members up (Raft, etcd).") Boolean quorum) {

    public static final ProfilePolicy NONE = new ProfilePolicy(null);
}
