package io.haupgrade.spec;

/**
 * One thing wrong with a cluster file: where (file, line, column, field path), what, and what to do about it.
 * Line and column start at 1; 0 means the error has no place in a file (a spec built in code).
 */
public record SpecError(String source, int line, int column, String path, String message, String hint) {

    public SpecError {
        source = source == null ? "" : source;
        path = path == null ? "" : path;
        hint = hint == null ? "" : hint;
    }

    /** {@code lb.yaml:12:7: nodes[1].name: duplicate node name 'lb1' (first at line 8)} and a hint line. */
    public String format() {
        StringBuilder text = new StringBuilder(source);
        if (line > 0) {
            text.append(':').append(line).append(':').append(column);
        }
        text.append(": ");
        if (!path.isEmpty()) {
            text.append(path).append(": ");
        }
        text.append(message);
        if (!hint.isEmpty()) {
            text.append(System.lineSeparator()).append("  hint: ").append(hint);
        }
        return text.toString();
    }
}
