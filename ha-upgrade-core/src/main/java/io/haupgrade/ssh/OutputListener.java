package io.haupgrade.ssh;

/** Receives a command's output line by line while it runs, already masked. */
@FunctionalInterface
public interface OutputListener {
    OutputListener NONE = (stream, line) -> { };

    void line(OutputStream stream, String line);

    /** Which of the command's output streams a line came from. */
    enum OutputStream {
        STDOUT,
        STDERR
    }
}
