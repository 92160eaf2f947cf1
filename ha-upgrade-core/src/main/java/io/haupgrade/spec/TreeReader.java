package io.haupgrade.spec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.haupgrade.spec.SpecTree.Entry;
import io.haupgrade.spec.SpecTree.Location;
import io.haupgrade.spec.SpecTree.Mapping;
import io.haupgrade.spec.SpecTree.Node;
import io.haupgrade.spec.SpecTree.Scalar;
import io.haupgrade.spec.SpecTree.Sequence;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads YAML or JSON with Jackson's streaming parser into a {@link SpecTree}. Streaming (not databind) because
 * every node must keep its line and column, and duplicate keys must be seen rather than silently merged.
 */
final class TreeReader {
    private static final JsonFactory JSON = JsonFactory.builder().build();
    private static final YAMLFactory YAML = YAMLFactory.builder().build();

    private final String source;
    private final List<SpecError> errors;

    private TreeReader(String source, List<SpecError> errors) {
        this.source = source;
        this.errors = errors;
    }

    /** The document's root, or null when it could not be read (the reason is in {@code errors}). */
    static Node read(String text, String source, List<SpecError> errors) {
        return new TreeReader(source, errors).read(text, source.toLowerCase(java.util.Locale.ROOT).endsWith(".json"));
    }

    private Node read(String text, boolean json) {
        try (JsonParser parser = (json ? JSON : YAML).createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                errors.add(new SpecError(source, 1, 1, "", "the file is empty",
                        "a cluster file is a mapping with at least 'name' and 'nodes'"));
                return null;
            }
            Node root = readValue(parser, "");
            if (parser.nextToken() != null) {
                Location extra = location(parser.currentTokenLocation());
                errors.add(new SpecError(source, extra.line(), extra.column(), "",
                        "the file holds more than one document", "write one cluster per file; remove the '---' separator"));
            }
            return root;
        } catch (JsonProcessingException e) {
            Location at = e.getLocation() == null ? new Location(1, 1) : location(e.getLocation());
            errors.add(new SpecError(source, at.line(), at.column(), "",
                    "cannot parse " + (json ? "JSON" : "YAML") + ": " + firstLine(e.getOriginalMessage()),
                    json ? "check brackets, commas and quotes near this place"
                            : "check indentation, ':' after keys and quotes near this place"));
            return null;
        } catch (IOException e) {
            errors.add(new SpecError(source, 0, 0, "", "cannot read: " + e.getMessage(), ""));
            return null;
        }
    }

    private Node readValue(JsonParser parser, String path) throws IOException {
        Location at = location(parser.currentTokenLocation());
        JsonToken token = parser.currentToken();
        if (token == JsonToken.START_OBJECT) {
            Map<String, Entry> entries = new LinkedHashMap<>();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String key = parser.currentName();
                Location keyAt = location(parser.currentTokenLocation());
                parser.nextToken();
                String childPath = path.isEmpty() ? key : path + "." + key;
                Node value = readValue(parser, childPath);
                Entry first = entries.get(key);
                if (first != null) {
                    errors.add(new SpecError(source, keyAt.line(), keyAt.column(), childPath,
                            "duplicate key '" + key + "' (first at line " + first.keyLocation().line() + ")",
                            "each key may appear once in a mapping; remove one of them"));
                } else {
                    entries.put(key, new Entry(keyAt, value));
                }
            }
            return new Mapping(entries, at);
        }
        if (token == JsonToken.START_ARRAY) {
            List<Node> items = new ArrayList<>();
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                items.add(readValue(parser, path + "[" + items.size() + "]"));
            }
            return new Sequence(items, at);
        }
        return new Scalar(token == JsonToken.VALUE_NULL ? null : parser.getText(), token, at);
    }

    private static Location location(JsonLocation location) {
        return new Location(Math.max(1, location.getLineNr()), Math.max(1, location.getColumnNr()));
    }

    private static String firstLine(String message) {
        String text = message == null ? "syntax error" : message.strip();
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline).strip();
    }
}
