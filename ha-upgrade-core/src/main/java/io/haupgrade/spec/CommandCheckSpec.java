package io.haupgrade.spec;

import java.util.List;

/** A health check that runs a command and looks at its exit code and output. */
@Doc("Runs a command; healthy when the exit code is expected and the output matches.")
public record CommandCheckSpec(
        @Required @Shorthand @Doc(value = "The command.", example = "crm_mon -1 | grep -q 'Online:'") String run,
        @Doc("Where it runs; as in a command's `on`. Default: self for node checks, primary for cluster checks.") String on,
        @Doc("Exit codes that count as healthy. Default: [0].") List<Integer> expectExit,
        @Doc(value = "Regular expression the output must contain (find).", example = "healthy") String outputMatches,
        @Doc("Regular expression the output must not contain.") String outputExcludes) {

    public CommandCheckSpec {
        expectExit = expectExit == null || expectExit.isEmpty() ? List.of(0) : List.copyOf(expectExit);
    }
}
