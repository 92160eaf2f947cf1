package io.haupgrade.spec;

import java.util.Map;

/** One machine of the cluster. */
@Doc("One machine of the cluster.")
public record NodeSpec(
        @Required @Doc(value = "Unique name of the node, as the HA stack knows it (pcs/crm node name, kubectl node name).",
                example = "zva5n1")
        String name,
        @Required @Doc(value = "Address to reach the node over SSH.", example = "192.0.2.11")
        String host,
        @Doc("SSH port. Default: ssh.port.")
        Integer port,
        @Doc("SSH user. Default: ssh.user.")
        String user,
        @Doc("Credentials for this node (a Jenkins credentials id, or a CLI credential name). Default: ssh.credentialsId.")
        String credentialsId,
        @Doc("The role this node is declared to have; discovered roles win and a disagreement is an error "
                + "unless policy.trustDiscoveredRoles is set. Without role discovery this is the only source.")
        Role role,
        @Doc("Whether the node is in the cluster now or joins it in a replace rollout. Default: member.")
        Membership membership,
        @Doc(value = "Pinned host key fingerprint (SHA256:...) checked in addition to the known hosts.",
                example = "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU")
        String hostKey,
        @Doc(value = "Free labels, usable as ${node.label.KEY} in commands.", example = "{rack: r1, zone: a}")
        Map<String, String> labels,
        @Doc("Commands for this node only; each phase written here replaces the cluster-wide one for this node.")
        PhaseCommands commands) {

    public NodeSpec {
        membership = membership == null ? Membership.MEMBER : membership;
        labels = Lists.copy(labels);
        commands = commands == null ? PhaseCommands.NONE : commands;
    }
}
