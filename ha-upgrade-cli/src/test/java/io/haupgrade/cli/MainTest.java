package io.haupgrade.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.haupgrade.spec.SpecSchema;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line, run in-process with its output captured. */
class MainTest {
    private static final String NL = System.lineSeparator();
    private static final String PAIR = """
            name: lb
            nodes:
              - name: lb1
                host: 192.0.2.11
              - name: lb2
                host: 192.0.2.12
            commands:
              upgrade: checkupgrades -i
            """;

    @TempDir
    Path dir;

    /** Exit code, standard output and standard error of one run. */
    record Run(int exitCode, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = Main.execute(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(exitCode, out.toString(), err.toString());
    }

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    @Test
    void validFile() throws IOException {
        Run run = run("validate", write("lb.yaml", PAIR).toString());
        assertThat(run).isEqualTo(new Run(0, "OK: lb (2 nodes)" + NL, ""));
    }

    @Test
    void invalidFilePrintsEveryErrorWithPlaceAndHint() throws IOException {
        Path file = write("lb.yaml", PAIR.replace("name: lb2", "name: lb1").replace("    host: 192.0.2.11", "    hots: 192.0.2.11"));
        Run run = run("validate", file.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualTo(
                file + ":3:5: nodes[0].host: missing required key 'host'" + NL
                + "    |   - name: lb1" + NL
                + "    |     ^" + NL
                + "  hint: Address to reach the node over SSH. Example: host: 192.0.2.11" + NL
                + file + ":4:5: nodes[0].hots: unknown key 'hots'" + NL
                + "    |     hots: 192.0.2.11" + NL
                + "    |     ^" + NL
                + "  hint: did you mean 'host'? valid keys here: name, host, port, user, credentialsId, role, membership, "
                + "hostKey, labels, commands" + NL
                + file + ": 2 errors" + NL);
    }

    @Test
    void semanticErrorsToo() throws IOException {
        Path file = write("lb.yaml", PAIR.replace("name: lb2", "name: lb1"));
        Run run = run("validate", file.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith(file + ":5:11: nodes[1].name: duplicate node name 'lb1' (first at line 3)" + NL
                + "    |   - name: lb1" + NL
                + "    |           ^" + NL
                + "  hint: node names must be unique");
    }

    @Test
    void missingFile() {
        Run run = run("validate", dir.resolve("nope.yaml").toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo(dir.resolve("nope.yaml") + ": no such file" + NL
                + "  hint: check the path (a relative path starts from the current directory)" + NL
                + dir.resolve("nope.yaml") + ": 1 error" + NL);
    }

    @Test
    void severalFilesAreNamedAndAnyInvalidFails() throws IOException {
        Path good = write("good.yaml", PAIR);
        Path bad = write("bad.yaml", PAIR + "bogus: 1\n");
        Run run = run("validate", good.toString(), bad.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEqualTo(good + ": OK: lb (2 nodes)" + NL);
        assertThat(run.err()).contains(bad + ":9:1: bogus: unknown key 'bogus'");
    }

    @Test
    void everyExampleValidates() throws IOException {
        String[] examples;
        try (Stream<Path> files = Files.list(Path.of("..", "docs", "examples"))) {
            examples = files.filter(f -> f.toString().endsWith(".yaml")).map(Path::toString).sorted().toArray(String[]::new);
        }
        assertThat(examples).hasSizeGreaterThanOrEqualTo(8);
        String[] args = Stream.concat(Stream.of("validate"), Stream.of(examples)).toArray(String[]::new);
        Run run = run(args);
        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(run.out().lines()).hasSize(examples.length).allMatch(line -> line.contains(": OK: "));
    }

    @Test
    void usageErrorsExitWith2() {
        assertThat(run().exitCode()).isEqualTo(2);
        assertThat(run().err()).startsWith("Missing subcommand");
        assertThat(run("frobnicate").exitCode()).isEqualTo(2);
        Run noFile = run("validate");
        assertThat(noFile.exitCode()).isEqualTo(2);
        assertThat(noFile.err()).startsWith("Missing required parameter: 'FILE'");
        assertThat(run("schema", "--bogus").exitCode()).isEqualTo(2);
    }

    @Test
    void helpAndVersion() {
        Run help = run("--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("validate", "schema", "Exit codes:", "invalid cluster file or wrong usage", "130");
        Run version = run("--version");
        assertThat(version.exitCode()).isZero();
        assertThat(version.out()).matches("ha-upgrade \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?" + NL);
        assertThat(run("validate", "--help").out()).contains("OK: <cluster> (<n> nodes)");
    }

    @Test
    void schemaPrintsTheGeneratedDocuments() {
        Run json = run("schema");
        assertThat(json).isEqualTo(new Run(0, SpecSchema.jsonSchema(), ""));
        Run markdown = run("schema", "--markdown");
        assertThat(markdown).isEqualTo(new Run(0, SpecSchema.markdownReference(), ""));
    }
}
