package io.haupgrade.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code ha-upgrade} command: a thin dispatcher. Each subcommand is its own class; add a new one to
 * {@code subcommands} below.
 */
@Command(name = "ha-upgrade",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Zero-downtime rolling upgrades of high-availability clusters.",
        subcommands = {ValidateCommand.class, PlanCommand.class, RunCommand.class, GateCommand.class, DemoCommand.class,
            SchemaCommand.class, ProfileCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            ExitCodes.OK + ":success",
            ExitCodes.FAILURE + ":run failed or stopped, gate red, or an unexpected failure (the message says what)",
            ExitCodes.INVALID + ":invalid cluster file or wrong usage",
            ExitCodes.REFUSED + ":refused before any node was touched: plan, preflight gate, roles or lock",
            ExitCodes.CANCELLED + ":run cancelled with Ctrl-C (stopped at a safe point)"})
public final class Main implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing subcommand: say what to do, e.g. 'validate FILE'");
    }

    public static void main(String... args) {
        System.exit(execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs the command with its output going to {@code out} and {@code err}; returns the exit code. */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine commandLine = commandLine();
        commandLine.setOut(out);
        commandLine.setErr(err);
        int exitCode = commandLine.execute(args);
        out.flush();
        err.flush();
        return exitCode;
    }

    /** The command tree. picocli's own codes match {@link ExitCodes}: usage errors 2, exceptions 1. */
    public static CommandLine commandLine() {
        return new CommandLine(new Main());
    }

    /** The version from the build, written into version.properties when the jar is made. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties properties = new Properties();
            try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    properties.load(in);
                }
            }
            return new String[] {"ha-upgrade " + properties.getProperty("version", "(unknown version)")};
        }
    }
}
