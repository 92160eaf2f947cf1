package io.haupgrade.ssh;

/** One line of a command's output, tagged with the node it ran on and a caller's tag such as the phase. */
public record OutputEvent(String node, String tag, OutputListener.OutputStream stream, String line) {
}
