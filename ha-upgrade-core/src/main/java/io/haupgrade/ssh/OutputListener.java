package io.haupgrade.ssh;

import java.util.function.Consumer;

/**
 * Receives a command's output line by line while it runs, already masked. Called on the SSH connection's reader
 * thread: a listener must be quick and must not block, or it holds up every channel of that connection.
 */
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
