package io.haupgrade.cli;

import static io.haupgrade.cli.MainTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.haupgrade.cli.MainTest.Run;
import io.haupgrade.profile.Profile;
import io.haupgrade.profile.Profiles;
import io.haupgrade.spec.SpecSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** validate names the profile it applied; profile list/show print the profiles; errors in a profile file show its line. */
class ProfileCommandTest {
    private static final String NL = System.lineSeparator();

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        return file;
    }

    private static final String KEEPALIVED_PAIR = """
            name: lb
            profile:
              name: keepalived
              settings: {vip: 198.51.100.10}
            nodes:
              - name: lb1
                host: 192.0.2.11
              - name: lb2
                host: 192.0.2.12
            commands:
              upgrade: checkupgrades -i
            """;

    @Test
    void validateSaysWhichProfileWasApplied() throws IOException {
        Run run = run("validate", write("lb.yaml", KEEPALIVED_PAIR).toString());
        assertThat(run).isEqualTo(new Run(0, "OK: lb (2 nodes, profile keepalived)" + NL, ""));
    }

    @Test
    void anErrorInAProfileFileShowsTheProfilesLine() throws IOException {
        Path profile = write("profiles/mine.yaml", """
                name: mine
                description: ours
                commands:
                  fence: drain ${node.nme}
                """);
        Path cluster = write("lb.yaml", KEEPALIVED_PAIR.replace("name: keepalived\n  settings: {vip: 198.51.100.10}",
                "name: ./profiles/mine.yaml"));
        Run run = run("validate", cluster.toString());
        assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID);
        assertThat(run.err()).startsWith(profile + ":4:10: commands.fence[0].run: unknown variable ${node.nme}" + NL
                + "    |   fence: drain ${node.nme}" + NL
                + "    | " + " ".repeat(9) + "^" + NL
                + "  hint: did you mean ${node.name}?");
    }

    @Test
    void listAndShow() throws Exception {
        Run list = run("profile", "list");
        assertThat(list.exitCode()).isZero();
        assertThat(list.out().lines()).hasSize(5).anyMatch(l -> l.startsWith("pacemaker   Pacemaker/Corosync clusters"));
        assertThat(run("profile", "show", "raft")).isEqualTo(new Run(0, Profiles.builtInText("raft"), ""));
        Path mine = write("mine.yaml", "name: mine\ndescription: ours\n");
        assertThat(run("profile", "show", mine.toString())).isEqualTo(new Run(0, "name: mine\ndescription: ours\n", ""));
        Run bad = run("profile", "show", write("bad.yaml", "name: bad\n").toString());
        assertThat(bad.exitCode()).isEqualTo(ExitCodes.INVALID);
        assertThat(bad.err()).contains("missing required key 'description'");
        Run none = run("profile", "show", "pacemakr");
        assertThat(none.exitCode()).isEqualTo(ExitCodes.INVALID);
        assertThat(none.err()).startsWith("pacemakr: no built-in profile of that name and no such file");
    }

    @Test
    void schemaOfProfileFiles() {
        assertThat(run("schema", "--profile")).isEqualTo(new Run(0, SpecSchema.jsonSchema(Profile.class, "ha-upgrade profile"), ""));
    }
}
