package io.haupgrade.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Variables in commands and URLs: substitution, quoting, escapes, and values that try to inject. */
class TemplateTest {

    private static final NodeSpec NODE = new NodeSpec("lb1", "192.0.2.11", null, null, null, Role.STANDBY, null, null,
            Map.of("rack", "r 1"), null);
    private static final NodeSpec OTHER = new NodeSpec("lb2", "192.0.2.12", 2222, "ops", null, Role.PRIMARY, null, null,
            null, null);

    private static ClusterSpec cluster(String name, String targetVersion) {
        SshSettings ssh = new SshSettings("root", null, null, null, null, null, null, null, null, null);
        return new ClusterSpec(name, null, null, targetVersion, "6.0", ssh, List.of(NODE, OTHER), null, null, null, null,
                null, null, null, null, Map.of("package", "app_6.1.deb"));
    }

    private static Variables values() {
        return Variables.forCluster(cluster("lb", "6.1")).withNode(NODE, null).withPrimary(OTHER).withPeer(OTHER);
    }

    @Test
    void everyVariableHasItsValue() throws TemplateException {
        Template t = Template.parse("${node.name} ${node.host} ${node.port} ${node.user} ${node.role} ${node.label.rack}"
                + " ${targetVersion} ${currentVersion} ${cluster.name} ${primary.name} ${primary.host} ${peer.name}"
                + " ${peer.host} ${var.package}");
        assertThat(t.renderPlain(values()))
                .isEqualTo("lb1 192.0.2.11 22 root standby r 1 6.1 6.0 lb lb2 192.0.2.12 lb2 192.0.2.12 app_6.1.deb");
        assertThat(t.renderCommand(values()))
                .isEqualTo("lb1 192.0.2.11 22 root standby 'r 1' 6.1 6.0 lb lb2 192.0.2.12 lb2 192.0.2.12 app_6.1.deb");
    }

    @Test
    void nodeOverridesPortAndUserAndDiscoveredRoleWins() throws TemplateException {
        Variables v = Variables.forCluster(cluster("lb", "6.1")).withNode(OTHER, Role.STANDBY);
        assertThat(Template.parse("${node.user}@${node.host}:${node.port} ${node.role}").renderPlain(v))
                .isEqualTo("ops@192.0.2.12:2222 standby");
        assertThat(v.withNode(NODE, null).get("node.label.rack")).contains("r 1");
        assertThat(v.get("node.label.rack")).isEmpty();
    }

    @Test
    void variablesAreListedInOrderOnce() throws TemplateException {
        assertThat(Template.parse("a ${node.name} ${ var.x } ${node.name} $${literal} $HOME $(date)").variables())
                .containsExactly("node.name", "var.x");
    }

    @Test
    void dollarDollarBraceIsALiteral() throws TemplateException {
        assertThat(Template.parse("echo $${HOME} $HOME $$ ${node.name}").renderCommand(values()))
                .isEqualTo("echo ${HOME} $HOME $$ lb1");
    }

    @Test
    void missingValueAtRenderTimeNamesTheVariable() throws TemplateException {
        Template t = Template.parse("pcs cluster standby ${peer.name}");
        Variables withoutPeer = Variables.forCluster(cluster("lb", "6.1")).withNode(NODE, null);
        TemplateException e = catchThrowableOfType(TemplateException.class, () -> t.renderCommand(withoutPeer));
        assertThat(e).hasMessage("${peer.name} has no value here, in 'pcs cluster standby ${peer.name}'");
        assertThat(e.variable()).isEqualTo("peer.name");
        assertThat(e.template()).isEqualTo("pcs cluster standby ${peer.name}");
        Template version = Template.parse("install ${targetVersion}");
        assertThat(catchThrowableOfType(TemplateException.class,
                () -> version.renderCommand(Variables.forCluster(cluster("lb", null)))).variable()).isEqualTo("targetVersion");
        assertThat(version.renderCommand(Variables.forCluster(cluster("lb", null)).withTargetVersion("7"))).isEqualTo("install 7");
        assertThat(Template.parse("${currentVersion}").renderPlain(values().withCurrentVersion("6.0.9"))).isEqualTo("6.0.9");
    }

    @Test
    void unclosedVariableIsASyntaxError() {
        TemplateException e = catchThrowableOfType(TemplateException.class, () -> Template.parse("echo ${node.name"));
        assertThat(e.variable()).isEmpty();
        assertThat(e).hasMessageContaining("not closed");
    }

    @Test
    void urlValuesArePercentEncoded() throws TemplateException {
        NodeSpec evil = new NodeSpec("n", "evil.example.net/x?y=1#", null, null, null, null, null, null, null, null);
        Variables v = Variables.forCluster(cluster("lb", "6.1 beta")).withNode(evil, null);
        assertThat(Template.parse("http://${node.host}:8080/health?v=${targetVersion}").renderUrl(v))
                .isEqualTo("http://evil.example.net%2Fx%3Fy%3D1%23:8080/health?v=6.1%20beta");
    }

    @Test
    @Timeout(30)
    void hostileNodeNameAndVersionStayOneInertShellWord() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "needs /bin/sh");
        NodeSpec hostile = new NodeSpec("a;rm -rf /", "192.0.2.66", null, null, null, null, null, null,
                Map.of("q", "it's \"quoted\" `uname` $(reboot) \\ \n new line"), null);
        Variables v = Variables.forCluster(cluster("lb", "1.0$(reboot)")).withNode(hostile, null);
        for (String name : List.of("node.name", "targetVersion", "node.label.q")) {
            String expected = v.get(name).orElseThrow();
            String line = Template.parse("printf %s ${" + name + "}").renderCommand(v);
            assertThat(runShell(line)).as("sh -c %s", line).isEqualTo(expected);
        }
        String both = Template.parse("printf '<%s>' ${node.name} ${targetVersion}").renderCommand(v);
        assertThat(runShell(both)).isEqualTo("<a;rm -rf /><1.0$(reboot)>");
    }

    /** Runs {@code line} with /bin/sh -c in a fresh temp dir and returns its standard output. */
    private static String runShell(String line) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("/bin/sh", "-c", line).redirectErrorStream(true).start();
        try (InputStream out = process.getInputStream()) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            out.transferTo(bytes);
            assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).isZero();
            return bytes.toString(StandardCharsets.UTF_8);
        } finally {
            process.destroyForcibly();
        }
    }

    @Test
    void knownNames() {
        assertThat(Template.isKnown("node.label.rack")).isTrue();
        assertThat(Template.isKnown("var.package")).isTrue();
        assertThat(Template.isKnown("node.label.")).isFalse();
        assertThat(Template.isKnown("var.")).isFalse();
        assertThat(Template.isKnown("node.ip")).isFalse();
    }

    @Test
    void variablesNeverPrintTheirValues() {
        assertThat(values().with("var.password", "s3cret").toString()).doesNotContain("s3cret").contains("var.password");
    }
}
