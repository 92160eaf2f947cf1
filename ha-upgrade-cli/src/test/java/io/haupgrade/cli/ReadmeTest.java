package io.haupgrade.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README tells the truth: its cluster file is valid and plans, and it names the demo command that exists. */
class ReadmeTest {
    private static final Path README = Path.of("..", "README.md");
    private static final Pattern YAML_BLOCK = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL);

    @TempDir
    Path dir;

    @Test
    void theClusterFileInTheReadmeIsValidAndPlans() throws Exception {
        List<String> blocks = new ArrayList<>();
        Matcher m = YAML_BLOCK.matcher(Files.readString(README));
        while (m.find()) {
            blocks.add(m.group(1));
        }
        assertThat(blocks).as("the README shows a cluster file").hasSize(1);
        Path file = dir.resolve("skudonet-lb.yaml");
        Files.writeString(file, blocks.get(0));

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertThat(Main.execute(new PrintWriter(out), new PrintWriter(err), "validate", file.toString()))
                .as(err.toString()).isZero();
        assertThat(out.toString()).startsWith("OK: skudonet-lb (2 nodes)");

        StringWriter plan = new StringWriter();
        assertThat(Main.execute(new PrintWriter(plan), new PrintWriter(err), "plan", file.toString()))
                .as(err.toString()).isZero();
        assertThat(plan.toString()).contains("switchover:zva5n1->zva5n2").contains("approval:before-switchover");
    }

    @Test
    void theDemoCommandOfTheReadmeIsTheOneTheJarHas() throws Exception {
        String readme = Files.readString(README);

        assertThat(readme).contains("mvn -B -q -pl ha-upgrade-cli -am package -DskipTests && java -jar "
                + "ha-upgrade-cli/target/ha-upgrade.jar demo").contains("mvn -B verify");
        assertThat(Main.commandLine().getSubcommands()).containsKey("demo");
    }
}
