package io.haupgrade.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.StringLength;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;

/** Whatever a node name or version holds, a rendered command hands it to the shell as exactly one word. */
@AddLifecycleHook(TemplateQuotingProperties.NeedsPosixShell.class)
class TemplateQuotingProperties {

    /** Skips (with a reason) where there is no /bin/sh, e.g. on Windows. */
    static final class NeedsPosixShell implements SkipExecutionHook {
        @Override
        public SkipResult shouldBeSkipped(LifecycleContext context) {
            return Files.isExecutable(Path.of("/bin/sh")) ? SkipResult.doNotSkip() : SkipResult.skip("needs /bin/sh");
        }
    }

    @Property(tries = 100)
    void anyAsciiValueReachesTheShellUnchanged(
            @ForAll @StringLength(max = 30) @CharRange(from = '\u0001', to = '\u007f') String name,
            @ForAll @StringLength(max = 30) @CharRange(from = '\u0001', to = '\u007f') String version) throws Exception {
        NodeSpec node = new NodeSpec(name, "192.0.2.1", null, null, null, null, null, null, null, null);
        ClusterSpec cluster = new ClusterSpec("c", null, null, version, null, null, List.of(node), null, null, null,
                null, null, null, null, null, null);
        Variables values = Variables.forCluster(cluster).withNode(node, null);
        String line = Template.parse("printf '[%s]' ${node.name} ${targetVersion}").renderCommand(values);

        Process sh = new ProcessBuilder("/bin/sh", "-c", line).redirectErrorStream(true).start();
        try (InputStream out = sh.getInputStream()) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            out.transferTo(bytes);
            assertThat(sh.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(bytes.toString(StandardCharsets.US_ASCII)).as(line).isEqualTo("[" + name + "][" + version + "]");
        } finally {
            sh.destroyForcibly();
        }
    }
}
