package io.haupgrade.cli;

import io.haupgrade.profile.Profiles;
import io.haupgrade.spec.SpecException;
import io.haupgrade.spec.SpecValidator;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ha-upgrade profile list | show NAME}: the built-in profiles, and what a profile holds. */
@Command(name = "profile", mixinStandardHelpOptions = true,
        description = {"List the built-in HA stack profiles, or print one (or check and print a profile file of your own).",
            "docs/profiles/<name>.md explains each built-in profile."})
final class ProfileCommand implements Runnable {
    @Spec
    CommandSpec command;

    @Override
    public void run() {
        throw new ParameterException(command.commandLine(), "Missing subcommand: 'list', or 'show NAME'");
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the built-in profiles with what each is for.")
    int list() throws SpecException {
        PrintWriter out = command.commandLine().getOut();
        for (String name : SpecValidator.AVAILABLE_PROFILES) {
            out.printf("%-11s %s%n", name, Profiles.builtIn(name).profile().description());
        }
        out.flush();
        return ExitCodes.OK;
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Print a built-in profile as shipped, or check a profile file and print it.",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {ExitCodes.OK + ":printed", ExitCodes.INVALID + ":no such profile, or the file is invalid"})
    int show(@Parameters(paramLabel = "NAME", description = "A built-in profile's name, or a profile file.") String name) {
        PrintWriter out = command.commandLine().getOut();
        PrintWriter err = command.commandLine().getErr();
        if (SpecValidator.AVAILABLE_PROFILES.contains(name)) {
            out.print(Profiles.builtInText(name));
            out.flush();
            return ExitCodes.OK;
        }
        Path file = Path.of(name);
        if (!Files.isRegularFile(file)) {
            err.println(name + ": no built-in profile of that name and no such file; built in: "
                    + String.join(", ", SpecValidator.AVAILABLE_PROFILES));
            err.flush();
            return ExitCodes.INVALID;
        }
        try {
            Profiles.load(file);
            out.print(Files.readString(file, StandardCharsets.UTF_8));
            out.flush();
            return ExitCodes.OK;
        } catch (SpecException e) {
            ValidateCommand.printErrors(err, e.errors());
            err.flush();
            return ExitCodes.INVALID;
        } catch (IOException e) {
            err.println(name + ": cannot read: " + e.getMessage());
            err.flush();
            return ExitCodes.INVALID;
        }
    }
}
