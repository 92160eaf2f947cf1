package io.haupgrade.spec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.haupgrade.spec.SpecTree.Entry;
import io.haupgrade.spec.SpecTree.Location;
import io.haupgrade.spec.SpecTree.Mapping;
import io.haupgrade.spec.SpecTree.Node;
import io.haupgrade.spec.SpecTree.Scalar;
import io.haupgrade.spec.SpecTree.Sequence;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads YAML or JSON with Jackson's streaming parser into a {@link SpecTree}. Streaming (not databind) because
 * every node must keep its line and column, and duplicate keys must be seen rather than silently merged.
 */
final class TreeReader {
    private static final JsonFactory JSON = JsonFactory.builder().build();
    /** {@code key:} with nothing after it is empty (null), as in YAML itself; {@code key: ''} is an empty string. */
    private static final YAMLFactory YAML = YAMLFactory.builder().enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL).build();

    /** Most values a file may expand to through aliases; far above any real cluster, far below a "billion laughs". */
    static final int MAX_EXPANDED_VALUES = 100_000;

    private final String source;
    private final List<SpecError> errors;
    /** YAML anchors ({@code &name}) of mappings and lists, so that aliases ({@code *name}) can share them. */
    private final Map<String, Node> anchors = new HashMap<>();
    private final Map<Node, Integer> sizes = new IdentityHashMap<>();
    private long expanded;

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
        } catch (ExpansionLimit e) {
            errors.add(new SpecError(source, e.location.line(), e.location.column(), "",
                    "the file expands to more than " + MAX_EXPANDED_VALUES + " values through YAML aliases",
                    "a cluster file needs far fewer; write the values out or use fewer nested aliases"));
            return null;
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
        if (parser instanceof YAMLParser yaml && yaml.isCurrentAlias()) {
            return alias(parser.getText(), at, path);
        }
        String anchor = token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY ? anchorOf(parser) : null;
        Node node;
        if (token == JsonToken.START_OBJECT) {
            node = readMapping(parser, path, at);
        } else if (token == JsonToken.START_ARRAY) {
            List<Node> items = new ArrayList<>();
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                items.add(readValue(parser, path + "[" + items.size() + "]"));
            }
            node = new Sequence(items, at);
        } else {
            node = new Scalar(token == JsonToken.VALUE_NULL ? null : parser.getText(), token, at);
        }
        if (anchor != null) {
            anchors.put(anchor, node);
        }
        return node;
    }

    private Mapping readMapping(JsonParser parser, String path, Location at) throws IOException {
        Map<String, Entry> entries = new LinkedHashMap<>();
        List<Mapping> merged = new ArrayList<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            Location keyAt = location(parser.currentTokenLocation());
            parser.nextToken();
            String childPath = path.isEmpty() ? key : path + "." + key;
            Node value = readValue(parser, childPath);
            if (key.equals("<<") && parser instanceof YAMLParser) {
                merge(value, childPath, merged);
                continue;
            }
            Entry first = entries.get(key);
            if (first != null) {
                errors.add(new SpecError(source, keyAt.line(), keyAt.column(), childPath,
                        "duplicate key '" + key + "' (first at line " + first.keyLocation().line() + ")",
                        "each key may appear once in a mapping; remove one of them"));
            } else {
                entries.put(key, new Entry(keyAt, value));
            }
        }
        // YAML merge keys: keys written here win over merged ones, earlier merged mappings over later ones.
        merged.forEach(m -> m.entries().forEach(entries::putIfAbsent));
        return new Mapping(entries, at);
    }

    private void merge(Node value, String path, List<Mapping> merged) {
        List<Node> sources = value instanceof Sequence sequence ? sequence.items() : List.of(value);
        for (Node source : sources) {
            if (source instanceof Mapping mapping) {
                merged.add(mapping);
            } else if (source != null) {
                error(source.location(), path, "'<<' merges mappings only, got " + source.describe(),
                        "write '<<: *anchor' where the anchor names a mapping");
            }
        }
    }

    private Node alias(String name, Location at, String path) {
        Node target = anchors.get(name);
        if (target == null) {
            error(at, path, "unknown alias '*" + name + "'",
                    "define '&" + name + "' on a mapping or list before this point (anchors on single values are not supported)");
            return new Scalar(null, JsonToken.VALUE_NULL, at);
        }
        expanded += size(target);
        if (expanded > MAX_EXPANDED_VALUES) {
            throw new ExpansionLimit(at);
        }
        return target;
    }

    private int size(Node node) {
        Integer known = sizes.get(node);
        if (known != null) {
            return known;
        }
        int size = 1;
        if (node instanceof Mapping mapping) {
            for (Entry entry : mapping.entries().values()) {
                size = (int) Math.min(Integer.MAX_VALUE, (long) size + size(entry.value()));
            }
        } else if (node instanceof Sequence sequence) {
            for (Node item : sequence.items()) {
                size = (int) Math.min(Integer.MAX_VALUE, (long) size + size(item));
            }
        }
        sizes.put(node, size);
        return size;
    }

    private static String anchorOf(JsonParser parser) throws IOException {
        Object id = parser.getObjectId();
        return id == null ? null : id.toString();
    }

    private void error(Location at, String path, String message, String hint) {
        errors.add(new SpecError(source, at.line(), at.column(), path, message, hint));
    }

    /** Aliases that would make the file expand beyond {@link #MAX_EXPANDED_VALUES}: reading stops. */
    private static final class ExpansionLimit extends RuntimeException {
        private final Location location;

        ExpansionLimit(Location location) {
            super("YAML aliases expand beyond " + MAX_EXPANDED_VALUES + " values", null, false, false);
            this.location = location;
        }
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
