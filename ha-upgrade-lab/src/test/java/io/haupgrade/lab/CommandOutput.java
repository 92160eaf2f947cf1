package io.haupgrade.lab;

import java.time.Duration;
import java.util.List;

/** What a finished command printed, its exit code and how long it took. */
public record CommandOutput(List<String> command, int exitCode, String stdout, String stderr, Duration elapsed) {

    public CommandOutput {
        command = List.copyOf(command);
    }

    public boolean succeeded() {
        return exitCode == 0;
    }

    /** Exit code, stdout and stderr, for an assertion's description. */
    public String describe() {
        return "exit " + exitCode + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
    }

    /** This output, or a {@link LabException} naming {@code what}, the command, exit code and output. */
    public CommandOutput requireSuccess(String what) {
        if (!succeeded()) {
            throw new LabException(what + " failed (exit " + exitCode + "): " + String.join(" ", command)
                    + "\nstdout: " + stdout.strip() + "\nstderr: " + stderr.strip());
        }
        return this;
    }
}
