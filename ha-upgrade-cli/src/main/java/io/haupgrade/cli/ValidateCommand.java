package io.haupgrade.cli;

import io.haupgrade.profile.Profiles;
import io.haupgrade.spec.ClusterSpec;
import io.haupgrade.spec.ProfileRef;
import io.haupgrade.spec.SpecError;
import io.haupgrade.spec.SpecException;
import io.haupgrade.spec.SpecLoader;
import io.haupgrade.spec.SpecValidator;
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
            "Prints 'OK: <cluster> (<n> nodes)' for a valid file (with ', profile <name>' when it uses one), else every error as file:line:column: path: message, "
                    + "the line it points at, and a hint (on standard error)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {ExitCodes.OK + ":every file is valid", ExitCodes.INVALID + ":a file is invalid, or wrong usage"})
final class ValidateCommand implements Callable<Integer> {
    @Spec
    CommandSpec command;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Cluster files (YAML, or JSON when named *.json).")
    List<Path> files;

    /**
     * The lines of an error's file for the excerpts in error messages: the cluster file, a profile file, or a built-in
     * profile; none when it cannot be read as text.
     */
    static List<String> sourceLines(String source) {
        if (source.startsWith(BUILT_IN) && source.endsWith(".yaml")) {
            String name = source.substring(BUILT_IN.length(), source.length() - ".yaml".length());
            return SpecValidator.AVAILABLE_PROFILES.contains(name) ? Profiles.builtInText(name).lines().toList() : List.of();
        }
        try {
            return Files.readAllLines(Path.of(source), StandardCharsets.UTF_8);
        } catch (IOException | UncheckedIOException | java.nio.file.InvalidPathException e) {
            return List.of();
        }
    }

    private static final String BUILT_IN = "builtin:";

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
                out.println(prefix + "OK: " + spec.name() + " (" + nodes + (nodes == 1 ? " node" : " nodes")
                        + (spec.profile().name().equals(ProfileRef.GENERIC) ? ")" : ", profile " + spec.profile().name() + ")"));
            } catch (SpecException e) {
                allValid = false;
                printErrors(err, e.errors());
            }
        }
        return allValid ? ExitCodes.OK : ExitCodes.INVALID;
    }

    /**
     * Each error as file:line:column: path: message, the line it points at with a caret under the column (read from the
     * error's file: the cluster file or its profile), its hint, and a count at the end.
     */
    static void printErrors(PrintWriter err, List<SpecError> errors) {
        java.util.Map<String, List<String>> files = new java.util.HashMap<>();
        for (SpecError error : errors) {
            List<String> lines = files.computeIfAbsent(error.source(), ValidateCommand::sourceLines);
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
