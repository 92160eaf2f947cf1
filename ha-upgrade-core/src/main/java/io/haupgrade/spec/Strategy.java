package io.haupgrade.spec;

/** How the rollout moves through the cluster. Written in YAML in kebab case ({@code active-passive}). */
@Doc("How the rollout moves through the cluster.")
public enum Strategy {
    @Doc("Standbys first, in batches up to maxUnavailable; the primary last, after a switchover.")
    ROLLING,
    @Doc("The backup, an approval, a switchover, the old primary, then an optional failback.")
    ACTIVE_PASSIVE,
    @Doc("One standby first, an approval, then the rest as in rolling.")
    CANARY,
    @Doc("Incoming new-version nodes join, leadership moves to one of them, the old nodes leave.")
    REPLACE,
    @Doc("For incompatible versions: snapshot all, stop all, upgrade the primary then the others, start, verify. "
            + "The plan states the expected downtime window.")
    FULL_STOP
}
