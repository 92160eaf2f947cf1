package io.haupgrade.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every example in docs/examples loads with no error and uses documentation addresses only. */
class ExamplesTest {
    private static final Path EXAMPLES = GeneratedDocsTest.DOCS.resolve("examples");
    private static final Pattern IPV4 = Pattern.compile("\\b(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\b");
    private static final Pattern HOST = Pattern.compile("\\b[a-z0-9-]+(\\.[a-z0-9-]+)*\\.(net|com|org|io)\\b");

    static Stream<Path> examples() throws IOException {
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList().stream();
        }
    }

    @Test
    void oneExamplePerRunbookPattern() throws IOException {
        assertThat(examples().map(p -> p.getFileName().toString())).contains(
                "skudonet-lb-pair.yaml", "zstack-dual-mn.yaml", "opennebula-raft-rolling.yaml",
                "opennebula-raft-replace.yaml", "opennebula-full-stop.yaml", "anypoint-gravity-k8s.yaml",
                "pacemaker-standby.yaml", "pacemaker-maintenance.yaml");
    }

    @ParameterizedTest
    @MethodSource("examples")
    void loadsWithoutErrors(Path example) {
        try {
            ClusterSpec spec = SpecLoader.load(example);
            assertThat(spec.nodes()).isNotEmpty();
            assertThat(SpecValidator.validate(spec)).as("validation of the bound spec").isEmpty();
        } catch (SpecException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    @ParameterizedTest
    @MethodSource("examples")
    void usesDocumentationAddressesOnly(Path example) throws IOException {
        String text = Files.readString(example);
        Matcher ip = IPV4.matcher(text);
        while (ip.find()) {
            String prefix = ip.group(1) + "." + ip.group(2) + "." + ip.group(3);
            assertThat(List.of("192.0.2", "198.51.100")).as("address %s in %s", ip.group(), example).contains(prefix);
        }
        Matcher host = HOST.matcher(text);
        while (host.find()) {
            assertThat(host.group()).as("host name in %s", example).endsWith("example.net");
        }
    }

    @Test
    void strategiesOfTheExamples() throws Exception {
        assertThat(SpecLoader.load(EXAMPLES.resolve("opennebula-raft-replace.yaml")).policy().strategy()).isEqualTo(Strategy.REPLACE);
        assertThat(SpecLoader.load(EXAMPLES.resolve("opennebula-full-stop.yaml")).policy().strategy()).isEqualTo(Strategy.FULL_STOP);
        ClusterSpec skudonet = SpecLoader.load(EXAMPLES.resolve("skudonet-lb-pair.yaml"));
        assertThat(skudonet.policy().strategy()).isEqualTo(Strategy.ACTIVE_PASSIVE);
        assertThat(skudonet.commands().fence()).extracting(CommandSpec::on).containsOnly("primary");
        ClusterSpec gravity = SpecLoader.load(EXAMPLES.resolve("anypoint-gravity-k8s.yaml"));
        assertThat(gravity.commandsFor(gravity.node("pce-1"), Phase.FENCE)).extracting(CommandSpec::on).containsExactly("pce-2", "self");
        assertThat(gravity.commandsFor(gravity.node("pce-2"), Phase.FENCE)).extracting(CommandSpec::on).containsExactly("pce-1", "self");
        assertThat(gravity.profile().name()).isEqualTo("kubernetes");
    }
}
