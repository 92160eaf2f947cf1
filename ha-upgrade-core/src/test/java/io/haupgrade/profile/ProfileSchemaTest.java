package io.haupgrade.profile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.haupgrade.spec.SpecSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The committed JSON Schema of profile files is what the profile records generate, from the cluster files' model. */
class ProfileSchemaTest {
    private static final Path SCHEMA = Path.of("..", "docs", "profile.schema.json");

    @Test
    void committedSchemaIsUpToDate() throws IOException {
        String generated = SpecSchema.jsonSchema(Profile.class, "ha-upgrade profile");
        assertThat(Files.readString(SCHEMA).replace("\r\n", "\n"))
                .as("%s differs from what the profile records generate; regenerate it from the repository root with:%n%s%n",
                        SCHEMA.normalize(), SpecSchema.REGENERATE_COMMAND)
                .isEqualTo(generated);
    }

    @Test
    void schemaSharesTheSpecTypes() throws IOException {
        JsonNode schema = new ObjectMapper().readTree(SpecSchema.jsonSchema(Profile.class, "ha-upgrade profile"));
        assertThat(schema.at("/$ref").asText()).isEqualTo("#/$defs/Profile");
        assertThat(schema.at("/$defs/Profile/required").toString()).isEqualTo("[\"name\",\"description\"]");
        assertThat(schema.at("/$defs/Profile/properties/commands/$ref").asText()).isEqualTo("#/$defs/PhaseCommands");
        assertThat(schema.at("/$defs/Setting/required").toString()).isEqualTo("[\"doc\"]");
        assertThat(schema.at("/$defs/CommandSpec/oneOf/0/type").asText()).isEqualTo("string");
    }
}
