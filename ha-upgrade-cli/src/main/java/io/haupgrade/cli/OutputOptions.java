package io.haupgrade.cli;

import io.haupgrade.cli.ConsoleRenderer.Level;
import picocli.CommandLine.Option;

/** How much of a run the console shows, shared by {@code run} and {@code demo}. */
final class OutputOptions {
    @Option(names = {"-q", "--quiet"}, description = "Show only phase outcomes, approvals, problems and the summary.")
    boolean quiet;

    @Option(names = {"-v", "--verbose"}, description = "Also show every command line, its exit code and each gate "
            + "attempt.")
    boolean verbose;

    Level level() {
        return verbose ? Level.VERBOSE : quiet ? Level.QUIET : Level.NORMAL;
    }
}
