package io.haupgrade.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;

/**
 * A plan as JSON for machines. Field names are stable (documented in docs/cli.md); enum values are written in kebab
 * case as in cluster files; durations as ISO-8601 and in seconds; absent values are null.
 */
public final class PlanJson {
    /** Bumped when a field changes meaning or disappears; new fields may appear without a bump. */
    public static final int FORMAT_VERSION = 1;

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private PlanJson() {
    }

    public static ObjectNode toTree(Plan plan) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("formatVersion", FORMAT_VERSION);
        root.put("cluster", plan.cluster());
        root.put("strategy", Names.of(plan.strategy()));
        root.put("targetVersion", plan.targetVersion());
        root.put("currentVersion", plan.currentVersion());
        root.put("primary", plan.primary());
        strings(root.putArray("alreadyUpgraded"), plan.alreadyUpgraded());
        duration(root, "expectedDowntime", plan.expectedDowntime());
        Plan.MixedVersionWindow window = plan.mixedVersionWindow();
        if (window == null) {
            root.putNull("mixedVersionWindow");
        } else {
            ObjectNode w = root.putObject("mixedVersionWindow");
            w.put("startsAfter", window.startsAfter());
            w.put("endsAfter", window.endsAfter());
            duration(w, "limit", window.limit());
        }
        ArrayNode steps = root.putArray("steps");
        for (PlanStep step : plan.steps()) {
            ObjectNode s = steps.addObject();
            s.put("index", step.index());
            s.put("id", step.id());
            s.put("kind", Names.of(step.kind()));
            strings(s.putArray("nodes"), step.nodes());
            s.put("phase", step.phase() == null ? null : Names.of(step.phase()));
            s.put("approval", step.approval() == null ? null : Names.of(step.approval()));
            s.put("hook", step.hook() == null ? null : step.hook().label());
            s.put("description", step.description());
        }
        strings(root.putArray("notes"), plan.notes());
        return root;
    }

    /** The plan as indented JSON text. */
    public static String write(Plan plan) {
        return write(toTree(plan));
    }

    /** A refusal as JSON: {@code {"formatVersion":1,"refused":{"message":...,"hint":...}}}. */
    public static String refusal(PlanException refusal) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("formatVersion", FORMAT_VERSION);
        ObjectNode r = root.putObject("refused");
        r.put("message", refusal.getMessage());
        r.put("hint", refusal.hint());
        return write(root);
    }

    private static String write(ObjectNode tree) {
        try {
            return MAPPER.writeValueAsString(tree) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree of strings and numbers could not be written", e);
        }
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }

    private static void duration(ObjectNode node, String name, Duration value) {
        node.put(name, value == null ? null : value.toString());
        if (value == null) {
            node.putNull(name + "Seconds");
        } else {
            node.put(name + "Seconds", value.toSeconds());
        }
    }
}
