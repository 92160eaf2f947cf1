package io.haupgrade.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The commands of the lab's cluster spec ({@code lab/cluster.yaml}), read as plain YAML so that the lab tests run
 * exactly what the spec says until the engine can. Substitutes {@code ${name}} shell-quoted, as the engine does.
 */
public final class LabClusterSpec {
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z][A-Za-z0-9.]*)}");

    private final Path file;
    private final JsonNode root;

    private LabClusterSpec(Path file, JsonNode root) {
        this.file = file;
        this.root = root;
    }

    public static LabClusterSpec load(Path file) {
        try {
            return new LabClusterSpec(file, new ObjectMapper(new YAMLFactory()).readTree(file.toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the cluster spec " + file, e);
        }
    }

    /** A command of a phase: what to run and where ({@code self}, {@code others}, {@code primary} or a node name). */
    public record Command(String run, String on) {
    }

    /** The commands of a phase ({@code commands.<phase>}), variables substituted. */
    public List<Command> phase(String phase, Map<String, String> variables) {
        JsonNode list = root.path("commands").path(phase);
        if (!list.isArray() || list.isEmpty()) {
            throw new LabException(file + ": commands." + phase + " is missing or empty");
        }
        var commands = new ArrayList<Command>();
        list.forEach(c -> commands.add(c.isTextual() ? new Command(substitute(c.asText(), variables), "self")
                : new Command(substitute(c.path("run").asText(), variables), c.path("on").asText("self"))));
        return commands;
    }

    public String roleCommand() {
        return text("discovery", "role", "command");
    }

    public Pattern primaryPattern() {
        return Pattern.compile(text("discovery", "role", "primaryPattern"));
    }

    public String versionCommand() {
        return text("discovery", "version", "command");
    }

    public String targetVersion() {
        return text("targetVersion");
    }

    private String text(String... path) {
        JsonNode node = root;
        for (String name : path) {
            node = node.path(name);
        }
        if (!node.isTextual()) {
            throw new LabException(file + ": " + String.join(".", path) + " is missing");
        }
        return node.asText();
    }

    static String substitute(String command, Map<String, String> variables) {
        Matcher m = VARIABLE.matcher(command);
        var out = new StringBuilder();
        while (m.find()) {
            String value = variables.get(m.group(1));
            if (value == null) {
                throw new LabException("no value for ${" + m.group(1) + "} in: " + command);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(shellQuote(value)));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String shellQuote(String value) {
        return "'" + value.replace("'", "'\\''") + "'";
    }
}
