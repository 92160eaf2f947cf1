package io.haupgrade.profile;

import io.haupgrade.spec.ClusterSpec;
import io.haupgrade.spec.CommandSpec;
import io.haupgrade.spec.Phase;
import io.haupgrade.spec.SpecException;
import io.haupgrade.spec.SpecLoader;
import io.haupgrade.spec.Template;
import io.haupgrade.spec.TemplateException;
import io.haupgrade.spec.Variables;
import java.util.List;

/** Small cluster files using the built-in profiles, and the command lines they render for a node. */
final class ProfileSpecs {
    private ProfileSpecs() {
    }

    static final String NODES = """
            nodes:
              - name: n1
                host: 192.0.2.11
              - name: n2
                host: 192.0.2.12
              - name: n3
                host: 192.0.2.13
            """;

    static final String INCOMING = """
              - name: n4
                host: 192.0.2.14
                membership: incoming
            """;

    /** A three-node cluster with {@code profile}, a target version and an upgrade command. */
    static String cluster(String profile) {
        return "name: c\ntargetVersion: 2.0.0\n" + profile + "\n" + NODES + "commands:\n  upgrade: apt-get install -y app\n";
    }

    static ClusterSpec load(String yaml) {
        try {
            return SpecLoader.parse(yaml, "cluster.yaml");
        } catch (SpecException e) {
            throw new AssertionError("expected a valid spec, got:\n" + e.getMessage(), e);
        }
    }

    /**
     * The command lines of a phase as they reach the shell for {@code node}, with {@code primary} as the current
     * primary and {@code peer} as the other side of a switchover (either may be null).
     */
    static List<String> rendered(ClusterSpec spec, Phase phase, String node, String primary, String peer) {
        return render(spec, spec.commandsFor(spec.node(node), phase), node, primary, peer);
    }

    static List<String> render(ClusterSpec spec, List<CommandSpec> commands, String node, String primary, String peer) {
        return render(spec, commands, node, primary, peer, false);
    }

    /** {@link #render} with {@code ${node.fenced}} true when the run holds {@code node} fenced. */
    static List<String> render(ClusterSpec spec, List<CommandSpec> commands, String node, String primary, String peer,
            boolean fenced) {
        Variables values = Variables.forCluster(spec).withNode(spec.node(node), null);
        if (fenced) {
            values = values.withNodeFenced();
        }
        if (primary != null) {
            values = values.withPrimary(spec.node(primary));
        }
        if (peer != null) {
            values = values.withPeer(spec.node(peer));
        }
        Variables all = values;
        return commands.stream().map(c -> {
            try {
                return Template.parse(c.run()).renderCommand(all);
            } catch (TemplateException e) {
                throw new AssertionError(e.getMessage(), e);
            }
        }).toList();
    }
}
