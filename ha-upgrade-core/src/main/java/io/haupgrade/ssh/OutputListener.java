package io.haupgrade.ssh;

import java.util.function.Consumer;

/** Receives a command's output line by line while it runs, already masked. */
@FunctionalInterface
public interface OutputListener {
    OutputListener NONE = (stream, line) -> { };

    void line(OutputStream stream, String line);

    /** A listener that turns each line into an {@link OutputEvent} naming {@code node} and {@code tag} (e.g. the phase). */
    static OutputListener tagged(String node, String tag, Consumer<OutputEvent> events) {
        return (stream, line) -> events.accept(new OutputEvent(node, tag, stream, line));
    }

    /** Which of the command's output streams a line came from. */
    enum OutputStream {
        STDOUT,
        STDERR
    }
}
