package io.haupgrade.health;

import io.haupgrade.spec.ClusterSpec;
import io.haupgrade.spec.CommandSpec;
import io.haupgrade.spec.Role;
import io.haupgrade.ssh.CommandResult;
import io.haupgrade.ssh.SshException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the live role and version of a node with the spec's discovery commands. */
public final class NodeInspector {
    private final ClusterSpec spec;
    private final NodeCommandRunner runner;

    public NodeInspector(ClusterSpec spec, NodeCommandRunner runner) {
        this.spec = spec;
        this.runner = runner;
    }

    public boolean discoversRoles() {
        return spec.discovery().role() != null;
    }

    public boolean discoversVersions() {
        return spec.discovery().version() != null;
    }

    /** The node's live role, or empty when the spec has no role detection. */
    public Optional<Role> role(String node) throws SshException, InspectionException {
        var detection = spec.discovery().role();
        if (detection == null) {
            return Optional.empty();
        }
        String output = output(node, detection.command(), "role");
        return Optional.of(Pattern.compile(detection.primaryPattern()).matcher(output).find() ? Role.PRIMARY : Role.STANDBY);
    }

    /** The version the node runs, or empty when the spec has no version detection. */
    public Optional<String> version(String node) throws SshException, InspectionException {
        var detection = spec.discovery().version();
        if (detection == null) {
            return Optional.empty();
        }
        String output = output(node, detection.command(), "version").strip();
        if (detection.pattern() == null) {
            return Optional.of(output);
        }
        Matcher m = Pattern.compile(detection.pattern()).matcher(output);
        if (!m.find()) {
            throw new InspectionException(node, "version output does not match /" + detection.pattern() + "/: " + output);
        }
        return Optional.of(m.groupCount() >= 1 ? m.group(1) : m.group());
    }

    private String output(String node, CommandSpec command, String what) throws SshException, InspectionException {
        CommandResult result = runner.run(node, node, command);
        if (result.timedOut() || !command.succeededWith(result.exitCode())) {
            throw new InspectionException(node, what + " detection failed with exit " + result.exitCode()
                    + (result.timedOut() ? " (timed out)" : "") + ": " + (result.stdout() + result.stderr()).strip());
        }
        return result.stdout();
    }

    /** A discovery command ran but its answer cannot be read. */
    public static final class InspectionException extends Exception {
        private final String node;

        public InspectionException(String node, String message) {
            super(node + ": " + message);
            this.node = node;
        }

        public String node() {
            return node;
        }
    }
}
