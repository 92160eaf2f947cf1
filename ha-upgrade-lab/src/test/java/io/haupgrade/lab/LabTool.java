package io.haupgrade.lab;

import io.haupgrade.execute.Rollout;
import io.haupgrade.execute.RunEvent;
import io.haupgrade.journal.Journal;
import io.haupgrade.report.ReportJson;
import io.haupgrade.report.RunReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * The tool under test as a user runs it: {@code java -jar ha-upgrade.jar run ...} (the CLI's shaded jar) in the lab's
 * client namespace, with the lab's client key for the spec's credentials id and its known_hosts (strict, from the
 * cluster file). Its run directory holds the journal and the report the tests read.
 */
final class LabTool {
    /** Set by the module's Surefire configuration; the jar is built by the ha-upgrade-cli dependency. */
    static final String JAR_PROPERTY = "haupgrade.cli.jar";
    /** The cluster file's {@code ssh.credentialsId}. */
    static final String CREDENTIALS_ID = "lab-client-key";

    private final Lab lab;
    private final Path spec;
    private final Path runDir;

    LabTool(Lab lab, Path spec, Path runDir) {
        this.lab = lab;
        this.spec = spec;
        this.runDir = runDir;
    }

    /** Skips the test with the reason when the CLI's shaded jar is not built. */
    static Path assumeJar() {
        String property = System.getProperty(JAR_PROPERTY);
        Path jar = property == null ? null : Path.of(property).toAbsolutePath().normalize();
        Assumptions.assumeTrue(jar != null && Files.isRegularFile(jar), () -> "lab engine tests skipped: the CLI jar "
                + (jar == null ? "(system property " + JAR_PROPERTY + ")" : jar) + " is missing; build it with "
                + "mvn -pl ha-upgrade-cli -am package -DskipTests");
        return jar;
    }

    Path runDir() {
        return runDir;
    }

    /** {@code ha-upgrade run FILE --run-dir DIR ...} with the lab's credentials; {@code extra} adds options. */
    List<String> run(String... extra) {
        return command(List.of("--run-dir", runDir.toString()), extra);
    }

    /** {@code ha-upgrade run FILE --resume DIR ...}. */
    List<String> resume(String... extra) {
        return command(List.of("--resume", runDir.toString()), extra);
    }

    private List<String> command(List<String> runDirOption, String... extra) {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        var command = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-Xmx128m", "-jar",
                assumeJar().toString(), "run", spec.toString()));
        command.addAll(runDirOption);
        command.addAll(List.of("--credentials", CREDENTIALS_ID + "=" + lab.clientKey(), "--started-by", "lab-test",
                "--approver", "lab-test"));
        command.addAll(Arrays.asList(extra));
        return command;
    }

    RunReport report() {
        return ReportJson.read(runDir.resolve(Rollout.REPORT));
    }

    List<RunEvent> journal() {
        try {
            return Journal.read(runDir.resolve(Rollout.JOURNAL), RunEvent.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the journal of " + runDir, e);
        }
    }

    /** The nodes in the order the run fenced them. */
    List<String> fenceOrder() {
        return journal().stream().filter(e -> e instanceof RunEvent.FenceChanged f && f.fenced())
                .map(e -> ((RunEvent.FenceChanged) e).node()).toList();
    }

    /** Ids of the steps the run started, in order (a step started again after a resume appears twice). */
    List<String> startedSteps() {
        return journal().stream().filter(RunEvent.StepStarted.class::isInstance)
                .map(e -> ((RunEvent.StepStarted) e).step().id()).toList();
    }
}
