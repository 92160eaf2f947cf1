package io.haupgrade.spec;

import java.lang.reflect.Field;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The shape of a cluster file, read by reflection from the spec records and their annotations. The binder,
 * the JSON Schema and the reference page are all made from this one model, so they cannot disagree.
 */
final class SpecModel {
    private static final Map<Class<?>, RecordModel> RECORDS = new ConcurrentHashMap<>();
    private static final Map<Class<?>, EnumModel> ENUMS = new ConcurrentHashMap<>();

    private SpecModel() {
    }

    /** What kind of value a field holds, as far as a cluster file is concerned. */
    enum Kind { STRING, INTEGER, BOOLEAN, DURATION, ENUM, RECORD, LIST, MAP }

    /** One field of a record: its key in the file, its Java type and what the annotations say about it. */
    record FieldModel(String name, Type type, boolean required, boolean shorthand, String doc, String example) {
    }

    record RecordModel(Class<?> type, String doc, List<FieldModel> fields) {
        Optional<FieldModel> field(String name) {
            return fields.stream().filter(f -> f.name().equals(name)).findFirst();
        }

        Optional<FieldModel> shorthand() {
            return fields.stream().filter(FieldModel::shorthand).findFirst();
        }

        List<String> names() {
            return fields.stream().map(FieldModel::name).toList();
        }
    }

    /** One enum constant as written in a file: its kebab-case name, its aliases and its description. */
    record EnumValue(Enum<?> constant, String name, List<String> aliases, String doc) {
    }

    record EnumModel(Class<?> type, String doc, List<EnumValue> values) {
        /** The constant written as {@code text}: its kebab name or an alias, in any case. */
        Optional<Enum<?>> parse(String text) {
            String wanted = text.strip().toLowerCase(Locale.ROOT);
            for (EnumValue value : values) {
                if (value.name().equals(wanted) || value.aliases().stream().anyMatch(a -> a.equalsIgnoreCase(wanted))) {
                    return Optional.of(value.constant());
                }
            }
            return Optional.empty();
        }

        List<String> names() {
            return values.stream().map(EnumValue::name).toList();
        }

        /** All accepted words: names and aliases. */
        List<String> words() {
            List<String> words = new ArrayList<>();
            values.forEach(v -> {
                words.add(v.name());
                words.addAll(v.aliases());
            });
            return words;
        }

        /** {@code primary (or master, leader, active), standby (or backup, ...)}. */
        String describeAllowed() {
            List<String> parts = new ArrayList<>();
            for (EnumValue value : values) {
                parts.add(value.aliases().isEmpty() ? value.name()
                        : value.name() + " (or " + String.join(", ", value.aliases()) + ")");
            }
            return String.join(", ", parts);
        }
    }

    static RecordModel record(Class<?> type) {
        return RECORDS.computeIfAbsent(type, SpecModel::readRecord);
    }

    static EnumModel enumeration(Class<?> type) {
        return ENUMS.computeIfAbsent(type, SpecModel::readEnum);
    }

    static Kind kindOf(Type type) {
        Class<?> raw = raw(type);
        if (raw == String.class) {
            return Kind.STRING;
        }
        if (raw == Integer.class || raw == int.class) {
            return Kind.INTEGER;
        }
        if (raw == Boolean.class || raw == boolean.class) {
            return Kind.BOOLEAN;
        }
        if (raw == Duration.class) {
            return Kind.DURATION;
        }
        if (raw.isEnum()) {
            return Kind.ENUM;
        }
        if (raw.isRecord()) {
            return Kind.RECORD;
        }
        if (raw == List.class) {
            return Kind.LIST;
        }
        if (raw == Map.class) {
            return Kind.MAP;
        }
        throw new IllegalArgumentException("spec field type not supported by the binder: " + type.getTypeName());
    }

    static Class<?> raw(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        throw new IllegalArgumentException("spec field type not supported by the binder: " + type.getTypeName());
    }

    /** The element type of a List, or the value type of a Map. */
    static Type elementType(Type type) {
        Type[] arguments = ((ParameterizedType) type).getActualTypeArguments();
        return arguments[arguments.length - 1];
    }

    /** ACTIVE_PASSIVE is written active-passive. */
    static String kebab(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * Where each key can be written, as paths from the root ({@code policy.strategy}, {@code nodes[].role}), shortest
     * first; for the hint when a key is written at the wrong level.
     */
    static Map<String, List<String>> keyPlaces(Class<?> root) {
        Map<String, List<String>> places = new java.util.LinkedHashMap<>();
        collectPlaces(root, "", places, new java.util.HashSet<>());
        places.values().forEach(paths -> paths.sort(java.util.Comparator.comparingInt(String::length)));
        return places;
    }

    private static void collectPlaces(Class<?> type, String prefix, Map<String, List<String>> places, Set<Class<?>> seen) {
        if (!seen.add(type)) {
            return;
        }
        for (FieldModel field : record(type).fields()) {
            String path = prefix.isEmpty() ? field.name() : prefix + "." + field.name();
            places.computeIfAbsent(field.name(), k -> new ArrayList<>()).add(path);
            Type t = field.type();
            String suffix = "";
            while (kindOf(t) == Kind.LIST || kindOf(t) == Kind.MAP) {
                suffix = kindOf(t) == Kind.LIST ? "[]" : ".NAME";
                t = elementType(t);
            }
            if (kindOf(t) == Kind.RECORD) {
                collectPlaces(raw(t), path + suffix, places, seen);
            }
        }
        seen.remove(type);
    }

    /** Every record and enum type a file can contain, from {@code root} outwards, in a stable order. */
    static List<Class<?>> reachableTypes(Class<?> root) {
        Set<Class<?>> seen = new LinkedHashSet<>();
        Deque<Class<?>> queue = new ArrayDeque<>(List.of(root));
        while (!queue.isEmpty()) {
            Class<?> type = queue.removeFirst();
            if (!seen.add(type) || type.isEnum()) {
                continue;
            }
            for (FieldModel field : record(type).fields()) {
                Type t = field.type();
                while (kindOf(t) == Kind.LIST || kindOf(t) == Kind.MAP) {
                    t = elementType(t);
                }
                Kind kind = kindOf(t);
                if (kind == Kind.RECORD || kind == Kind.ENUM) {
                    queue.addLast(raw(t));
                }
            }
        }
        return List.copyOf(seen);
    }

    private static RecordModel readRecord(Class<?> type) {
        List<FieldModel> fields = new ArrayList<>();
        for (RecordComponent component : type.getRecordComponents()) {
            Doc doc = component.getAnnotation(Doc.class);
            fields.add(new FieldModel(component.getName(), component.getGenericType(),
                    component.isAnnotationPresent(Required.class), component.isAnnotationPresent(Shorthand.class),
                    doc == null ? "" : doc.value(), doc == null ? "" : doc.example()));
            kindOf(component.getGenericType());
        }
        Doc doc = type.getAnnotation(Doc.class);
        return new RecordModel(type, doc == null ? "" : doc.value(), List.copyOf(fields));
    }

    private static EnumModel readEnum(Class<?> type) {
        List<EnumValue> values = new ArrayList<>();
        for (Object constant : type.getEnumConstants()) {
            Enum<?> e = (Enum<?>) constant;
            Field field;
            try {
                field = type.getField(e.name());
            } catch (NoSuchFieldException impossible) {
                throw new IllegalStateException("enum constant without a field: " + e, impossible);
            }
            Aliases aliases = field.getAnnotation(Aliases.class);
            Doc doc = field.getAnnotation(Doc.class);
            values.add(new EnumValue(e, kebab(e),
                    aliases == null ? List.of() : Arrays.stream(aliases.value()).map(a -> a.toLowerCase(Locale.ROOT)).toList(),
                    doc == null ? "" : doc.value()));
        }
        Doc doc = type.getAnnotation(Doc.class);
        return new EnumModel(type, doc == null ? "" : doc.value(), List.copyOf(values));
    }
}
