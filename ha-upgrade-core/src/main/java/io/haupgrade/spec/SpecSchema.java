package io.haupgrade.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.haupgrade.spec.SpecModel.EnumModel;
import io.haupgrade.spec.SpecModel.EnumValue;
import io.haupgrade.spec.SpecModel.FieldModel;
import io.haupgrade.spec.SpecModel.Kind;
import io.haupgrade.spec.SpecModel.RecordModel;
import java.lang.reflect.Type;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JSON Schema (draft 2020-12) of a cluster file and its reference page in Markdown, both made from the same
 * model as the binder ({@link SpecModel}), so that what the schema allows is what the loader reads.
 */
public final class SpecSchema {
    /** The command that regenerates the committed copies in docs/. */
    public static final String REGENERATE_COMMAND =
            "mvn -q -pl ha-upgrade-cli -am package -DskipTests"
                    + " && java -jar ha-upgrade-cli/target/ha-upgrade.jar schema > docs/cluster-spec.schema.json"
                    + " && java -jar ha-upgrade-cli/target/ha-upgrade.jar schema --markdown > docs/spec-reference.md"
                    + " && java -jar ha-upgrade-cli/target/ha-upgrade.jar schema --profile > docs/profile.schema.json";

    private static final Pattern DEFAULT = Pattern.compile("\\s*Default: (.+?)\\.(?=\\s|$)");
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private SpecSchema() {
    }

    /** The JSON Schema of cluster files, pretty-printed with \n line ends and a final newline. */
    public static String jsonSchema() {
        return jsonSchema(ClusterSpec.class, "ha-upgrade cluster spec");
    }

    /**
     * The JSON Schema of files whose root is {@code rootType} (a record read by the binder of cluster files, such as
     * a profile), pretty-printed with \n line ends and a final newline.
     */
    public static String jsonSchema(Class<? extends Record> rootType, String title) {
        ObjectNode root = JSON.objectNode();
        root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        root.put("title", title);
        root.put("description", SpecModel.record(rootType).doc());
        root.put("$ref", ref(rootType));
        ObjectNode defs = root.putObject("$defs");
        for (Class<?> type : SpecModel.reachableTypes(rootType)) {
            defs.set(type.getSimpleName(), type.isEnum() ? enumSchema(SpecModel.enumeration(type))
                    : recordSchema(SpecModel.record(type)));
        }
        ObjectNode duration = defs.putObject("Duration");
        duration.put("description", "A duration: 500ms, 30s, 5m, 1h30m, 2h, ISO-8601 (PT30S), or a whole number of seconds.");
        ArrayNode forms = duration.putArray("oneOf");
        forms.addObject().put("type", "string").put("pattern", Durations.PATTERN);
        forms.addObject().put("type", "integer").put("minimum", 0);
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
                .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                .withArrayIndenter(new DefaultIndenter("  ", "\n"));
        try {
            return new ObjectMapper().writer(printer).writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the JSON Schema", e);
        }
    }

    private static ObjectNode recordSchema(RecordModel model) {
        ObjectNode object = JSON.objectNode();
        object.put("type", "object");
        ObjectNode properties = object.putObject("properties");
        ArrayNode required = JSON.arrayNode();
        for (FieldModel field : model.fields()) {
            ObjectNode property = valueSchema(field.type());
            if (!field.doc().isEmpty()) {
                property.put("description", field.doc());
            }
            properties.set(field.name(), property);
            if (field.required()) {
                required.add(field.name());
            }
        }
        if (!required.isEmpty()) {
            object.set("required", required);
        }
        object.put("additionalProperties", false);
        if (model.shorthand().isEmpty()) {
            return JSON.objectNode().put("description", model.doc()).setAll(object);
        }
        FieldModel shorthand = model.shorthand().get();
        ObjectNode schema = JSON.objectNode().put("description", model.doc());
        ArrayNode forms = schema.putArray("oneOf");
        forms.add(valueSchema(shorthand.type()).put("description", "Short for {" + shorthand.name() + ": <value>}."));
        forms.add(object);
        return schema;
    }

    private static ObjectNode valueSchema(Type type) {
        Kind kind = SpecModel.kindOf(type);
        return switch (kind) {
            case STRING -> JSON.objectNode().put("type", "string");
            case INTEGER -> JSON.objectNode().put("type", "integer");
            case BOOLEAN -> JSON.objectNode().put("type", "boolean");
            case DURATION -> JSON.objectNode().put("$ref", "#/$defs/Duration");
            case ENUM, RECORD -> JSON.objectNode().put("$ref", ref(SpecModel.raw(type)));
            case LIST -> {
                ObjectNode list = JSON.objectNode();
                ArrayNode forms = list.putArray("oneOf");
                forms.addObject().put("type", "array").set("items", valueSchema(SpecModel.elementType(type)));
                forms.add(valueSchema(SpecModel.elementType(type)));
                yield list;
            }
            case MAP -> {
                ObjectNode map = JSON.objectNode().put("type", "object");
                Type valueType = SpecModel.elementType(type);
                if (SpecModel.kindOf(valueType) == Kind.STRING) {
                    // YAML writes 8080 or true unquoted; the loader reads them as text.
                    ArrayNode scalar = map.putObject("additionalProperties").putArray("type");
                    scalar.add("string").add("number").add("boolean");
                } else {
                    map.set("additionalProperties", valueSchema(valueType));
                }
                yield map;
            }
        };
    }

    private static ObjectNode enumSchema(EnumModel model) {
        ObjectNode schema = JSON.objectNode().put("description", model.doc()).put("type", "string");
        ArrayNode values = schema.putArray("enum");
        model.words().forEach(values::add);
        return schema;
    }

    private static String ref(Class<?> type) {
        return "#/$defs/" + type.getSimpleName();
    }

    /** The reference page: every type and key with its type, whether required or its default, and an example. */
    public static String markdownReference() {
        StringBuilder md = new StringBuilder();
        md.append("# Cluster spec reference\n\n");
        md.append("<!-- Generated from the spec records; do not edit. Regenerate with:\n     ")
                .append(REGENERATE_COMMAND).append(" -->\n\n");
        md.append("A cluster file is YAML (or JSON, when its name ends in `.json`). Rules that hold everywhere:\n\n");
        md.append("- Keys are written exactly as below (camelCase). An unknown key is an error.\n");
        md.append("- Enum values are written in lower kebab case (`active-passive`) or as one of their aliases, in any case.\n");
        md.append("- A duration is `500ms`, `30s`, `5m`, `1h30m`, `2h`, ISO-8601 `PT30S`, or a whole number of seconds.\n");
        md.append("- Where a list is expected, a single item means a list of one.\n");
        md.append("- A type marked *short form* may be written as a plain string, which fills the key named there.\n");
        md.append("- Commands, env values, health checks and URLs may use `${...}` variables; see [docs/variables.md](variables.md).\n\n");
        md.append("Start at [ClusterSpec](#clusterspec), the root of the file.\n");
        for (Class<?> type : SpecModel.reachableTypes(ClusterSpec.class)) {
            md.append('\n');
            if (type.isEnum()) {
                enumSection(md, SpecModel.enumeration(type));
            } else {
                recordSection(md, SpecModel.record(type));
            }
        }
        return md.toString();
    }

    private static void recordSection(StringBuilder md, RecordModel model) {
        md.append("## ").append(model.type().getSimpleName()).append("\n\n").append(model.doc()).append("\n\n");
        model.shorthand().ifPresent(f -> md.append("*Short form:* a plain string is its `").append(f.name())
                .append("`.\n\n"));
        md.append("| Key | Type | Required / default | Description | Example |\n");
        md.append("|---|---|---|---|---|\n");
        for (FieldModel field : model.fields()) {
            Matcher defaultText = DEFAULT.matcher(field.doc());
            String presence;
            String description = field.doc();
            if (field.required()) {
                presence = "required";
            } else if (defaultText.find()) {
                presence = "default: " + defaultText.group(1);
                description = (description.substring(0, defaultText.start()) + description.substring(defaultText.end())).strip();
            } else {
                presence = "optional";
            }
            md.append("| `").append(field.name()).append("` | ").append(typeName(field.type())).append(" | ")
                    .append(cell(presence)).append(" | ").append(cell(description)).append(" | ")
                    .append(field.example().isEmpty() ? "" : "`" + cell(field.example()) + "`").append(" |\n");
        }
    }

    private static void enumSection(StringBuilder md, EnumModel model) {
        md.append("## ").append(model.type().getSimpleName()).append("\n\n").append(model.doc()).append("\n\n");
        md.append("| Value | Aliases | Description |\n");
        md.append("|---|---|---|\n");
        for (EnumValue value : model.values()) {
            md.append("| `").append(value.name()).append("` | ")
                    .append(String.join(", ", value.aliases().stream().map(a -> "`" + a + "`").toList())).append(" | ")
                    .append(cell(value.doc())).append(" |\n");
        }
    }

    private static String typeName(Type type) {
        return switch (SpecModel.kindOf(type)) {
            case STRING -> "string";
            case INTEGER -> "integer";
            case BOOLEAN -> "boolean";
            case DURATION -> "duration";
            case ENUM, RECORD -> {
                String name = SpecModel.raw(type).getSimpleName();
                yield "[" + name + "](#" + name.toLowerCase(Locale.ROOT) + ")";
            }
            case LIST -> "list of " + typeName(SpecModel.elementType(type));
            case MAP -> "map of " + typeName(SpecModel.elementType(type));
        };
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
