package io.haupgrade.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code report.json}: instants and durations as ISO-8601 text, enums by name, every field present. */
public final class ReportJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            // A reader of schema N reads files of schema N written by later builds that added fields.
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private ReportJson() {
    }

    public static String toJson(RunReport report) {
        try {
            return MAPPER.writeValueAsString(report);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the report of run " + report.runId() + " as JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    /** Reads a report, refusing one written with a newer schema than this build knows. */
    public static RunReport fromJson(String json, String source) {
        try {
            JsonNode tree = MAPPER.readTree(json);
            JsonNode version = tree == null ? null : tree.get("schemaVersion");
            if (version == null || !version.canConvertToInt()) {
                throw new IllegalArgumentException(source + ": not a ha-upgrade report (no integer 'schemaVersion')");
            }
            if (version.asInt() > RunReport.SCHEMA_VERSION) {
                throw new IllegalArgumentException(source + ": report schema " + version.asInt()
                        + " is newer than this build reads (" + RunReport.SCHEMA_VERSION
                        + "); hint: read it with the ha-upgrade version that wrote it");
            }
            return MAPPER.treeToValue(tree, RunReport.class);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " line " + e.getLocation().getLineNr() + ":";
            throw new IllegalArgumentException(source + ":" + where + " " + e.getOriginalMessage(), e);
        }
    }

    public static RunReport read(Path file) {
        try {
            return fromJson(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read report " + file + ": " + e.getMessage(), e);
        }
    }
}
