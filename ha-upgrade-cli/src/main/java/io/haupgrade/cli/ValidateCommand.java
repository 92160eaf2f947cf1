package io.haupgrade.cli;

import io.haupgrade.spec.ClusterSpec;
import io.haupgrade.spec.SpecError;
import io.haupgrade.spec.SpecException;
import io.haupgrade.spec.SpecLoader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ha-upgrade validate FILE...}: reads cluster files and reports every error; touches no node. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Check cluster files: syntax, keys, types, and what they mean. Connects to nothing.",
            "Prints 'OK: <cluster> (<n> nodes)' for a valid file, else every error as file:line:column: path: message, "
                    + "the line it points at, and a hint (on standard error)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {ExitCodes.OK + ":every file is valid", ExitCodes.INVALID + ":a file is invalid, or wrong usage"})
final class ValidateCommand implements Callable<Integer> {
    @Spec
    CommandSpec command;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Cluster files (YAML, or JSON when named *.json).")
    List<Path> files;

    /** The file's lines for the excerpts in error messages; none when it cannot be read as text. */
    static List<String> sourceLines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException | UncheckedIOException e) {
            return List.of();
        }
    }

    @Override
    public Integer call() {
        PrintWriter out = command.commandLine().getOut();
        PrintWriter err = command.commandLine().getErr();
        boolean allValid = true;
        for (Path file : files) {
            String prefix = files.size() > 1 ? file + ": " : "";
            try {
                ClusterSpec spec = SpecLoader.load(file);
                int nodes = spec.nodes().size();
                out.println(prefix + "OK: " + spec.name() + " (" + nodes + (nodes == 1 ? " node)" : " nodes)"));
            } catch (SpecException e) {
                allValid = false;
                printErrors(err, e.errors(), sourceLines(file));
            }
        }
        return allValid ? ExitCodes.OK : ExitCodes.INVALID;
    }

    /**
     * Each error as file:line:column: path: message, the line it points at with a caret under the column (when
     * {@code lines} has it), its hint, and a count at the end.
     */
    static void printErrors(PrintWriter err, List<SpecError> errors, List<String> lines) {
        for (SpecError error : errors) {
            String located = error.line() > 0 ? error.source() + ":" + error.line() + ":" + error.column() : error.source();
            err.println(located + ": " + (error.path().isEmpty() ? "" : error.path() + ": ") + error.message());
            if (error.line() > 0 && error.line() <= lines.size()) {
                String line = lines.get(error.line() - 1);
                err.println("    | " + line);
                err.println("    | " + " ".repeat(Math.max(0, Math.min(error.column() - 1, line.length()))) + "^");
            }
            if (!error.hint().isEmpty()) {
                err.println("  hint: " + error.hint());
            }
        }
        if (!errors.isEmpty()) {
            err.println(errors.get(0).source() + ": " + errors.size() + (errors.size() == 1 ? " error" : " errors"));
        }
    }
}
