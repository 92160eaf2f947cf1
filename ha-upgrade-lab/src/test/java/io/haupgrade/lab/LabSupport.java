package io.haupgrade.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Whether the lab can run on this machine: Linux, root, working network/mount/PID namespaces, and the commands
 * of the Debian packages it uses (per {@link LabKind}). Lab tests call {@link #assumeLabCanRun()} (keepalived) or
 * {@link #assumeLabCanRun(LabKind)} first and skip with the reason.
 */
public final class LabSupport {
    /** Set (to anything) to skip the lab tier on purpose. */
    public static final String SKIP_VARIABLE = "HAUPGRADE_LAB_SKIP";

    private static final Map<LabKind, Optional<String>> REASONS = new java.util.EnumMap<>(LabKind.class);

    private LabSupport() {
    }

    /** Skips the calling test with a message saying why the keepalived lab cannot run here, if it cannot. */
    public static void assumeLabCanRun() {
        assumeLabCanRun(LabKind.KEEPALIVED);
    }

    /** Skips the calling test with a message saying why a lab of {@code kind} cannot run here, if it cannot. */
    public static void assumeLabCanRun(LabKind kind) {
        Optional<String> why = unavailableReason(kind);
        Assumptions.assumeTrue(why.isEmpty(), () -> "lab tier skipped (" + kind.scriptName() + "): " + why.orElseThrow()
                + " (the lab needs Linux, root, network namespaces and the Debian packages that .ci/run installs)");
    }

    /** Why the keepalived lab cannot run here, or empty when it can. Checked once per JVM. */
    public static Optional<String> unavailableReason() {
        return unavailableReason(LabKind.KEEPALIVED);
    }

    /** Why a lab of {@code kind} cannot run here, or empty when it can. Checked once per JVM and kind. */
    public static synchronized Optional<String> unavailableReason(LabKind kind) {
        return REASONS.computeIfAbsent(kind, k -> {
            Optional<String> reason = check(k);
            // Once per JVM, in the build log: the skipped tests' own reports hold it too.
            reason.ifPresent(why -> System.err.println("ha-upgrade-lab: lab tier (" + k.scriptName() + ") skipped: " + why));
            return reason;
        });
    }

    private static Optional<String> check(LabKind kind) {
        if (System.getenv(SKIP_VARIABLE) != null) {
            return Optional.of(SKIP_VARIABLE + " is set");
        }
        if (!System.getProperty("os.name").toLowerCase().contains("linux")) {
            return Optional.of("not Linux (" + System.getProperty("os.name") + ")");
        }
        if (!Files.isExecutable(Path.of("/bin/bash"))) {
            return Optional.of("no /bin/bash");
        }
        Path dir = null;
        try {
            dir = Files.createTempDirectory("ha-upgrade-lab-check");
            Lab.extractScripts(dir);
            CommandOutput out = Commands.run(List.of("bash", dir.resolve("lab.sh").toString(), "check"),
                    Map.of("LAB_KIND", kind.scriptName()), Duration.ofSeconds(30));
            if (out.succeeded()) {
                return Optional.empty();
            }
            String said = (out.stdout() + out.stderr()).strip();
            return Optional.of(said.isEmpty() ? "lab.sh check exited " + out.exitCode() : said);
        } catch (IOException | RuntimeException e) {
            return Optional.of("the lab check could not run: " + e.getMessage());
        } finally {
            delete(dir);
        }
    }

    private static void delete(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A few bytes in the temporary directory; nothing runs from there.
        }
    }
}
