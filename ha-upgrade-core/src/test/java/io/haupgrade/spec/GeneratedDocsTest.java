package io.haupgrade.spec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The committed JSON Schema and reference page are exactly what the code generates now. */
class GeneratedDocsTest {
    /** Tests run in the module directory; docs/ is at the repository root. */
    static final Path DOCS = Path.of("..", "docs");

    @Test
    void jsonSchemaIsUpToDate() throws IOException {
        assertUpToDate(DOCS.resolve("cluster-spec.schema.json"), SpecSchema.jsonSchema());
    }

    @Test
    void referencePageIsUpToDate() throws IOException {
        assertUpToDate(DOCS.resolve("spec-reference.md"), SpecSchema.markdownReference());
    }

    private static void assertUpToDate(Path file, String generated) throws IOException {
        String committed = Files.exists(file) ? Files.readString(file).replace("\r\n", "\n") : "";
        assertThat(committed)
                .as("%s differs from what the spec records generate; regenerate it from the repository root with:%n%s%n",
                        file.normalize(), SpecSchema.REGENERATE_COMMAND)
                .isEqualTo(generated);
    }

    @Test
    void schemaFollowsTheBinderModel() throws IOException {
        JsonNode schema = new ObjectMapper().readTree(SpecSchema.jsonSchema());
        assertThat(schema.at("/$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        JsonNode node = schema.at("/$defs/NodeSpec");
        assertThat(node.at("/additionalProperties").asBoolean(true)).isFalse();
        assertThat(node.at("/required").toString()).isEqualTo("[\"name\",\"host\"]");
        assertThat(node.at("/properties/host/description").asText()).isEqualTo("Address to reach the node over SSH.");
        // shorthand: a string or the object
        JsonNode command = schema.at("/$defs/CommandSpec/oneOf");
        assertThat(command.get(0).at("/type").asText()).isEqualTo("string");
        assertThat(command.get(1).at("/type").asText()).isEqualTo("object");
        assertThat(command.get(1).at("/required").toString()).isEqualTo("[\"run\"]");
        // a list also accepts one item
        JsonNode fence = schema.at("/$defs/PhaseCommands/properties/fence/oneOf");
        assertThat(fence.get(0).at("/type").asText()).isEqualTo("array");
        assertThat(fence.get(1).at("/$ref").asText()).isEqualTo("#/$defs/CommandSpec");
        // enums: kebab names and aliases
        assertThat(schema.at("/$defs/Strategy/enum").toString())
                .isEqualTo("[\"rolling\",\"active-passive\",\"canary\",\"replace\",\"full-stop\"]");
        assertThat(schema.at("/$defs/Role/enum").toString()).contains("\"primary\",\"master\"");
        assertThat(schema.at("/$defs/Duration/oneOf/0/pattern").asText()).isEqualTo(Durations.PATTERN);
        assertThat(schema.at("/$defs/Health/properties/timeout/$ref").asText()).isEqualTo("#/$defs/Duration");
    }

    @Test
    void everyRecordFieldIsDocumented() {
        for (Class<?> type : SpecModel.reachableTypes(ClusterSpec.class)) {
            if (type.isEnum()) {
                SpecModel.enumeration(type).values().forEach(v -> assertThat(v.doc()).as("%s.%s", type, v.name()).isNotBlank());
            } else {
                SpecModel.record(type).fields().forEach(f -> assertThat(f.doc()).as("%s.%s", type, f.name()).isNotBlank());
            }
        }
    }

    @Test
    void referenceShowsTypeRequiredDefaultAndExample() {
        String md = SpecSchema.markdownReference();
        assertThat(md).contains("| `host` | string | required | Address to reach the node over SSH. | `192.0.2.11` |");
        assertThat(md).contains("| `timeout` | duration | default: 5m | Longest a gate waits for green before it fails. |  |");
        assertThat(md).contains("| `strategy` | [Strategy](#strategy) | default: rolling | The strategy. |  |");
        assertThat(md).contains("| `active-passive` |  | The backup, an approval,");
        assertThat(md).contains("*Short form:* a plain string is its `run`.");
    }
}
