package io.haupgrade.spec;

/** How to find out, on a live cluster, which node is the primary. */
@Doc("How to find out which node is the primary: a command run on every node whose output says its role.")
public record RoleDetection(
        @Required @Doc(value = "Prints the node's role.", example = "cat /var/run/keepalived.state") CommandSpec command,
        @Required @Doc(value = "Regular expression; a node whose output matches (find) is the primary.", example = "MASTER")
        String primaryPattern) {
}
