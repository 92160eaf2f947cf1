package io.haupgrade.cli;

import io.haupgrade.plan.Plan;
import io.haupgrade.plan.PlanException;
import io.haupgrade.plan.PlanJson;
import io.haupgrade.plan.PlanRequest;
import io.haupgrade.plan.PlanText;
import io.haupgrade.plan.Planner;
import io.haupgrade.spec.ClusterSpec;
import io.haupgrade.spec.SpecError;
import io.haupgrade.spec.SpecException;
import io.haupgrade.spec.SpecLoader;
import io.haupgrade.spec.SpecValidator;
import io.haupgrade.spec.Strategy;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** {@code ha-upgrade plan FILE}: prints the ordered plan of an upgrade, or why it is refused; touches no node. */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = {"Show what an upgrade would do, step by step: gates, hooks, each node's phases, switchovers, "
                + "approvals, and the notes a person should read first. Connects to nothing.",
            "Roles are the declared ones; with discovery.role and none declared, the first node is assumed primary."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            ExitCodes.OK + ":the plan is printed",
            ExitCodes.FAILURE + ":unexpected failure (a bug; the message says what)",
            ExitCodes.INVALID + ":the cluster file is invalid, or wrong usage",
            ExitCodes.REFUSED + ":the plan is refused, e.g. a strategy that is not safe for the version jump"})
final class PlanCommand implements Callable<Integer> {
    @Spec
    CommandSpec command;

    @Parameters(index = "0", paramLabel = "FILE", description = "The cluster file (YAML, or JSON when named *.json).")
    Path file;

    @Option(names = "--strategy", paramLabel = "S", converter = StrategyConverter.class,
            description = "Plan with this strategy instead of the file's policy.strategy: "
                    + "rolling, active-passive, canary, replace, full-stop.")
    Strategy strategy;

    @Option(names = "--target-version", paramLabel = "V", description = "The version to upgrade to; wins over the file's.")
    String targetVersion;

    @Option(names = "--current-version", paramLabel = "V",
            description = "The version the nodes run now, for the compatibility check; wins over the file's.")
    String currentVersion;

    @Option(names = "--json", description = "Print the plan (or the refusal, or the errors) as JSON on standard output.")
    boolean json;

    @Option(names = "--commands", description = "List each step's commands under it, as the spec resolves them.")
    boolean commands;

    @Override
    public Integer call() {
        PrintWriter out = command.commandLine().getOut();
        PrintWriter err = command.commandLine().getErr();
        ClusterSpec spec;
        try {
            spec = SpecLoader.load(file);
        } catch (SpecException e) {
            if (json) {
                out.print(ErrorsJson.of(e.errors()));
            } else {
                ValidateCommand.printErrors(err, e.errors());
            }
            return ExitCodes.INVALID;
        }
        try {
            Plan plan = Planner.plan(new PlanRequest(withStrategy(spec), strategy, targetVersion, currentVersion, null, null));
            out.print(json ? PlanJson.write(plan) : PlanText.render(plan, commands ? spec : null));
            return ExitCodes.OK;
        } catch (PlanException e) {
            if (json) {
                out.print(PlanJson.refusal(e));
            } else {
                err.println("plan refused: " + e.getMessage());
                if (!e.hint().isEmpty()) {
                    err.println("  hint: " + e.hint());
                }
            }
            return ExitCodes.REFUSED;
        } finally {
            out.flush();
            err.flush();
        }
    }

    /**
     * The file with the requested strategy, checked again: a file valid for its own strategy can lack what another
     * strategy needs (join commands for replace, stop commands for full-stop).
     */
    private ClusterSpec withStrategy(ClusterSpec spec) throws PlanException {
        if (strategy == null || strategy == spec.policy().strategy()) {
            return spec;
        }
        ClusterSpec changed = new ClusterSpec(spec.name(), spec.description(), spec.profile(), spec.targetVersion(),
                spec.currentVersion(), spec.ssh(), spec.nodes(), spec.groups(), spec.discovery(), spec.commands(),
                spec.hooks(), spec.health(), spec.probe(), spec.policy().withStrategy(strategy), spec.compatibility(),
                spec.variables());
        List<SpecError> errors = SpecValidator.validate(changed);
        if (!errors.isEmpty()) {
            String name = strategy.name().toLowerCase(Locale.ROOT).replace('_', '-');
            throw new PlanException("strategy " + name + " does not fit " + file + ": " + errors.stream()
                    .map(e -> e.path() + ": " + e.message()).collect(Collectors.joining("; ")),
                    errors.get(0).hint().isEmpty() ? "choose another strategy" : errors.get(0).hint());
        }
        return changed;
    }

    /** Strategies as written in cluster files: {@code active-passive}, in any case; underscores work too. */
    static final class StrategyConverter implements ITypeConverter<Strategy> {
        @Override
        public Strategy convert(String value) {
            String wanted = value.strip().toUpperCase(Locale.ROOT).replace('-', '_');
            for (Strategy s : Strategy.values()) {
                if (s.name().equals(wanted)) {
                    return s;
                }
            }
            throw new TypeConversionException("unknown strategy '" + value
                    + "'; one of: rolling, active-passive, canary, replace, full-stop");
        }
    }
}
