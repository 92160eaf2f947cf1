package io.haupgrade.spec;

import com.fasterxml.jackson.core.JsonToken;
import io.haupgrade.spec.SpecModel.EnumModel;
import io.haupgrade.spec.SpecModel.FieldModel;
import io.haupgrade.spec.SpecModel.RecordModel;
import io.haupgrade.spec.SpecTree.Entry;
import io.haupgrade.spec.SpecTree.Location;
import io.haupgrade.spec.SpecTree.Mapping;
import io.haupgrade.spec.SpecTree.Node;
import io.haupgrade.spec.SpecTree.Scalar;
import io.haupgrade.spec.SpecTree.Sequence;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Binds a {@link SpecTree} to the spec records by reflection over their components. Collects every error;
 * a value that cannot be bound becomes null so that binding goes on and finds the next error.
 */
final class Binder {
    private final Map<String, List<String>> keyPlaces;
    private final String source;
    private final List<SpecError> errors;
    private final SpecLocations locations;

    /** Binds files whose root is {@code root}: a cluster spec, or a profile. */
    Binder(Class<?> root, String source, List<SpecError> errors, SpecLocations locations) {
        this.keyPlaces = SpecModel.keyPlaces(root);
        this.source = source;
        this.errors = errors;
        this.locations = locations;
    }

    /** The value of {@code node} as {@code type}; null when it is empty or wrong (then an error is recorded). */
    Object bind(Node node, Type type, String path) {
        if (node instanceof Scalar scalar && scalar.isNull()) {
            return null;
        }
        locations.put(path, node.location());
        return switch (SpecModel.kindOf(type)) {
            case STRING -> scalar(node, path, "a string") == null ? null : ((Scalar) node).text();
            case INTEGER -> bindInteger(node, path);
            case BOOLEAN -> bindBoolean(node, path);
            case DURATION -> bindDuration(node, path);
            case ENUM -> bindEnum(node, SpecModel.enumeration(SpecModel.raw(type)), path);
            case RECORD -> bindRecord(node, SpecModel.record(SpecModel.raw(type)), path);
            case LIST -> bindList(node, SpecModel.elementType(type), path);
            case MAP -> bindMap(node, SpecModel.elementType(type), path);
        };
    }

    private Scalar scalar(Node node, String path, String expected) {
        if (node instanceof Scalar scalar) {
            return scalar;
        }
        error(node.location(), path, "expected " + expected + ", got " + node.describe(), "");
        return null;
    }

    private Integer bindInteger(Node node, String path) {
        Scalar scalar = scalar(node, path, "a whole number");
        if (scalar == null) {
            return null;
        }
        if (scalar.token() == JsonToken.VALUE_NUMBER_INT || scalar.text().strip().matches("-?[0-9]+")) {
            try {
                return Integer.valueOf(scalar.text().strip());
            } catch (NumberFormatException tooLarge) {
                // reported below
            }
        }
        error(node.location(), path, "bad number '" + scalar.text() + "'", "write a whole number, e.g. 3");
        return null;
    }

    private Boolean bindBoolean(Node node, String path) {
        Scalar scalar = scalar(node, path, "true or false");
        if (scalar == null) {
            return null;
        }
        if (scalar.token() == JsonToken.VALUE_TRUE || scalar.token() == JsonToken.VALUE_FALSE) {
            return scalar.token() == JsonToken.VALUE_TRUE;
        }
        if (scalar.text().equalsIgnoreCase("true") || scalar.text().equalsIgnoreCase("false")) {
            return Boolean.valueOf(scalar.text());
        }
        error(node.location(), path, "expected true or false, got " + scalar.describe(), "write true or false");
        return null;
    }

    private Object bindDuration(Node node, String path) {
        Scalar scalar = scalar(node, path, "a duration");
        if (scalar == null) {
            return null;
        }
        Optional<java.time.Duration> duration = Durations.parse(scalar.text());
        if (duration.isEmpty()) {
            error(node.location(), path, "bad duration '" + scalar.text() + "'", Durations.HINT);
            return null;
        }
        return duration.get();
    }

    private Object bindEnum(Node node, EnumModel model, String path) {
        Scalar scalar = scalar(node, path, "one of " + String.join(", ", model.names()));
        if (scalar == null) {
            return null;
        }
        Optional<Enum<?>> value = model.parse(scalar.text());
        if (value.isEmpty()) {
            error(node.location(), path, "unknown value '" + scalar.text() + "'",
                    DidYouMean.hint(scalar.text(), model.words()) + "allowed: " + model.describeAllowed());
            return null;
        }
        return value.get();
    }

    private List<Object> bindList(Node node, Type elementType, String path) {
        // A single value where a list is expected is a list of one.
        List<Node> items = node instanceof Sequence sequence ? sequence.items() : List.of(node);
        List<Object> values = new ArrayList<>();
        boolean failed = false;
        for (int i = 0; i < items.size(); i++) {
            Node item = items.get(i);
            String itemPath = path + "[" + i + "]";
            if (item instanceof Scalar scalar && scalar.isNull()) {
                error(item.location(), itemPath, "empty list item", "remove the '-' or write a value after it");
                failed = true;
                continue;
            }
            Object value = bind(item, elementType, itemPath);
            failed |= value == null;
            values.add(value);
        }
        return failed ? null : values;
    }

    private Map<String, Object> bindMap(Node node, Type valueType, String path) {
        if (!(node instanceof Mapping mapping)) {
            error(node.location(), path, "expected a mapping of names to values, got " + node.describe(),
                    "write one 'name: value' per line, indented under the key");
            return null;
        }
        Map<String, Object> values = new LinkedHashMap<>();
        boolean failed = false;
        for (Map.Entry<String, Entry> entry : mapping.entries().entrySet()) {
            String entryPath = path + "." + entry.getKey();
            Node value = entry.getValue().value();
            if (value instanceof Scalar scalar && scalar.isNull()) {
                error(entry.getValue().keyLocation(), entryPath, "no value for '" + entry.getKey() + "'",
                        "write a value after the ':', or \"\" for an empty string");
                failed = true;
                continue;
            }
            Object bound = bind(value, valueType, entryPath);
            failed |= bound == null;
            values.put(entry.getKey(), bound);
        }
        return failed ? null : values;
    }

    private Object bindRecord(Node node, RecordModel model, String path) {
        int errorsBefore = errors.size();
        Object[] values = new Object[model.fields().size()];
        boolean[] written = new boolean[values.length];
        Location missingAt = node.location();
        if (node instanceof Scalar) {
            Optional<FieldModel> shorthand = model.shorthand();
            if (shorthand.isEmpty()) {
                error(node.location(), path, "expected a mapping, got " + node.describe(),
                        "write the keys of this object indented under it: " + String.join(", ", model.names()));
                return null;
            }
            int index = model.fields().indexOf(shorthand.get());
            values[index] = bind(node, shorthand.get().type(), child(path, shorthand.get().name()));
            written[index] = true;
        } else if (node instanceof Mapping mapping) {
            for (Map.Entry<String, Entry> entry : mapping.entries().entrySet()) {
                String key = entry.getKey();
                Optional<FieldModel> field = model.field(key);
                if (field.isEmpty()) {
                    error(entry.getValue().keyLocation(), child(path, key), "unknown key '" + key + "'",
                            unknownKeyHint(key, model));
                    continue;
                }
                int index = model.fields().indexOf(field.get());
                Node value = entry.getValue().value();
                locations.put(child(path, key), value instanceof Scalar s && s.isNull()
                        ? entry.getValue().keyLocation() : value.location());
                values[index] = bind(value, field.get().type(), child(path, key));
                written[index] = !(value instanceof Scalar s && s.isNull());
            }
        } else {
            error(node.location(), path, "expected a mapping, got a list",
                    model.shorthand().isPresent() ? "write one value (a string) or a mapping here" : "write a mapping here");
            return null;
        }
        for (int i = 0; i < values.length; i++) {
            FieldModel field = model.fields().get(i);
            if (field.required() && !written[i]) {
                error(missingAt, child(path, field.name()), "missing required key '" + field.name() + "'",
                        requiredHint(field));
            }
        }
        if (errors.size() > errorsBefore) {
            return null;
        }
        return construct(model, values, node.location(), path);
    }

    private Object construct(RecordModel model, Object[] values, Location at, String path) {
        Class<?>[] types = model.fields().stream().map(f -> SpecModel.raw(f.type())).toArray(Class<?>[]::new);
        try {
            Constructor<?> constructor = model.type().getDeclaredConstructor(types);
            return constructor.newInstance(values);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            error(at, path, String.valueOf(cause.getMessage()), "");
            return null;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot construct spec record " + model.type().getName(), e);
        }
    }

    /** A close key of this record; else where that key belongs if it is one elsewhere; then the valid keys. */
    private String unknownKeyHint(String key, RecordModel model) {
        String suggestion = DidYouMean.hint(key, model.names());
        if (suggestion.isEmpty()) {
            List<String> places = keyPlaces.getOrDefault(key, List.of());
            if (!places.isEmpty()) {
                suggestion = "'" + key + "' belongs at " + String.join(" or ", places.subList(0, Math.min(3, places.size())))
                        + (places.size() > 3 ? " (and more)" : "") + ". ";
            }
        }
        return suggestion + "valid keys here: " + String.join(", ", model.names());
    }

    private static String requiredHint(FieldModel field) {
        String what = field.doc().isEmpty() ? "" : field.doc() + " ";
        return field.example().isEmpty() ? what.strip() : what + "Example: " + field.name() + ": " + field.example();
    }

    private void error(Location at, String path, String message, String hint) {
        errors.add(new SpecError(source, at.line(), at.column(), path, message, hint));
    }

    private static String child(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }
}
