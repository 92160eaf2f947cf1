package io.haupgrade.spec;

import io.haupgrade.profile.ProfileResolver;
import io.haupgrade.spec.SpecTree.Mapping;
import io.haupgrade.spec.SpecTree.Node;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Reads a cluster file (YAML, or JSON when the name ends in {@code .json}) into a {@link ClusterSpec}: parse into a
 * located tree, bind to the records, apply the profile (the spec's values where written, else the profile's), check
 * the meaning of the result. Reports every error it finds at once, each with file, line, column, field path and a
 * hint, in the file that wrote the value (the cluster file or the profile). It only reads: a bad file changes nothing
 * anywhere.
 */
public final class SpecLoader {
    private SpecLoader() {
    }

    public static ClusterSpec load(Path file) throws SpecException {
        String source = file.toString();
        String text;
        try {
            // Strict decoding: a file in another encoding is an error, not silently mangled text.
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (NoSuchFileException e) {
            throw single(source, "no such file", "check the path (a relative path starts from the current directory)");
        } catch (CharacterCodingException e) {
            throw single(source, "the file is not UTF-8 text", "save the file as UTF-8");
        } catch (IOException e) {
            throw single(source, "cannot read the file: " + e.getMessage(), "check that it exists and is readable");
        }
        return parse(text, source, directoryOf(file));
    }

    /** A text read from elsewhere; a profile file it names is looked up relative to the current directory. */
    public static ClusterSpec parse(String text, String sourceName) throws SpecException {
        return parse(text, sourceName, Path.of(""));
    }

    /**
     * @param baseDirectory where a profile file named in the text ({@code profile: ./profiles/x.yaml}) is looked up
     */
    public static ClusterSpec parse(String text, String sourceName, Path baseDirectory) throws SpecException {
        String source = sourceName == null ? "<spec>" : sourceName;
        List<SpecError> errors = new ArrayList<>();
        SpecLocations locations = new SpecLocations(source);
        ClusterSpec written = bind(text, ClusterSpec.class, locations, errors);
        if (written == null) {
            throw sorted(errors, source);
        }
        ClusterSpec spec = ProfileResolver.apply(written, locations, baseDirectory, errors);
        if (spec != null && errors.isEmpty()) {
            errors.addAll(new SpecValidator(spec, locations).check());
        }
        if (!errors.isEmpty()) {
            throw sorted(errors, source);
        }
        return spec;
    }

    /**
     * Reads a YAML or JSON text into a record of {@code type} with the binder of cluster files: unknown keys, wrong
     * types and missing required keys are errors with file, line and column. Profile files are read this way.
     *
     * @param locations records where each value was written; its source names the file in errors
     * @return the record, or null when {@code errors} got an error
     */
    public static <T extends Record> T bind(String text, Class<T> type, SpecLocations locations, List<SpecError> errors) {
        String source = locations.source();
        int before = errors.size();
        // An editor's byte order mark is not part of the first key.
        String content = text.startsWith("\uFEFF") ? text.substring(1) : text;
        Node root = TreeReader.read(content, source, errors);
        if (root != null && !(root instanceof Mapping)) {
            errors.add(new SpecError(source, root.location().line(), root.location().column(), "",
                    "expected a mapping at the top of the file, got " + root.describe(),
                    type == ClusterSpec.class ? "a cluster file is a mapping that starts with keys such as 'name:' and 'nodes:'"
                            : "the file is a mapping that starts with keys such as 'name:'"));
        }
        if (errors.size() > before) {
            return null;
        }
        Object value = new Binder(type, source, errors, locations).bind(root, type, "");
        return errors.size() > before ? null : type.cast(value);
    }

    private static Path directoryOf(Path file) {
        Path parent = file.getParent();
        return parent == null ? Path.of("") : parent;
    }

    private static SpecException single(String source, String message, String hint) {
        return new SpecException(List.of(new SpecError(source, 0, 0, "", message, hint)));
    }

    /**
     * In file order, so a person can fix them top to bottom: grouped by file (the cluster file, then its profile), by
     * line within a file; errors without a place come last in their group.
     */
    private static SpecException sorted(List<SpecError> errors, String clusterFile) {
        List<String> sources = java.util.stream.Stream.concat(java.util.stream.Stream.of(clusterFile),
                errors.stream().map(SpecError::source)).distinct().toList();
        List<SpecError> ordered = new ArrayList<>(errors);
        ordered.sort(Comparator.comparingInt((SpecError e) -> sources.indexOf(e.source()))
                .thenComparingInt((SpecError e) -> e.line() == 0 ? Integer.MAX_VALUE : e.line())
                .thenComparingInt(SpecError::column));
        return new SpecException(ordered);
    }
}
