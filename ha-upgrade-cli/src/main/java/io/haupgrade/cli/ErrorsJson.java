package io.haupgrade.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.haupgrade.plan.PlanJson;
import io.haupgrade.spec.SpecError;
import java.util.List;

/** Errors of a cluster file as JSON: {@code {"formatVersion":1,"errors":[{source,line,column,path,message,hint}]}}. */
final class ErrorsJson {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ErrorsJson() {
    }

    static String of(List<SpecError> errors) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("formatVersion", PlanJson.FORMAT_VERSION);
        ArrayNode array = root.putArray("errors");
        for (SpecError error : errors) {
            ObjectNode e = array.addObject();
            e.put("source", error.source());
            e.put("line", error.line());
            e.put("column", error.column());
            e.put("path", error.path());
            e.put("message", error.message());
            e.put("hint", error.hint());
        }
        try {
            return MAPPER.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree of strings and numbers could not be written", e);
        }
    }
}
