package io.haupgrade.cli;

import io.haupgrade.spec.ClusterSpec;
import io.haupgrade.spec.SpecError;
import io.haupgrade.spec.SpecException;
import io.haupgrade.spec.SpecLoader;
import java.io.PrintWriter;
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
            "Prints 'OK: <cluster> (<n> nodes)' for a valid file, else every error as file:line:column: path: message "
                    + "with a hint (on standard error)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {ExitCodes.OK + ":every file is valid", ExitCodes.INVALID + ":a file is invalid, or wrong usage"})
final class ValidateCommand implements Callable<Integer> {
    @Spec
    CommandSpec command;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Cluster files (YAML, or JSON when named *.json).")
    List<Path> files;

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
                printErrors(err, e.errors());
            }
        }
        return allValid ? ExitCodes.OK : ExitCodes.INVALID;
    }

    /** Each error as file:line:column: path: message, its hint below, and a count at the end. */
    static void printErrors(PrintWriter err, List<SpecError> errors) {
        for (SpecError error : errors) {
            err.println(error.format());
        }
        if (!errors.isEmpty()) {
            err.println(errors.get(0).source() + ": " + errors.size() + (errors.size() == 1 ? " error" : " errors"));
        }
    }
}
