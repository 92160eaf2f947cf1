package io.haupgrade.cli;

import io.haupgrade.profile.Profile;
import io.haupgrade.spec.SpecSchema;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ha-upgrade schema [--markdown]}: prints the JSON Schema of cluster files, or their reference page. */
@Command(name = "schema", mixinStandardHelpOptions = true,
        description = {"Print the JSON Schema (draft 2020-12) of cluster files, for editors and CI.",
            "docs/cluster-spec.schema.json and docs/spec-reference.md are made with this command."})
final class SchemaCommand implements Callable<Integer> {
    @Spec
    CommandSpec command;

    @Option(names = "--markdown", description = "Print the reference page in Markdown instead.")
    boolean markdown;

    @Option(names = "--profile", description = "Print the JSON Schema of profile files instead (docs/profile.schema.json).")
    boolean profile;

    @Override
    public Integer call() {
        String text = profile ? SpecSchema.jsonSchema(Profile.class, "ha-upgrade profile")
                : markdown ? SpecSchema.markdownReference() : SpecSchema.jsonSchema();
        command.commandLine().getOut().print(text);
        command.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
