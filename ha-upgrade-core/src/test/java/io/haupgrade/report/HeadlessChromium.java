package io.haupgrade.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Screenshots with Debian's headless Chromium, bounded in time, with a fresh profile and nothing left running:
 * every process it spawned is killed when it is done or out of time.
 */
final class HeadlessChromium {

    static final Path BINARY = Path.of("/usr/bin/chromium");
    private static final Duration LIMIT = Duration.ofSeconds(60);

    private HeadlessChromium() {
    }

    static boolean available() {
        return Files.isExecutable(BINARY);
    }

    static void screenshot(Path html, Path png, int width, int height, Path workDir)
            throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(workDir, "chromium-profile");
        Path log = workDir.resolve("chromium-" + png.getFileName() + ".log");
        List<String> command = List.of(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--hide-scrollbars", "--force-device-scale-factor=1",
                "--user-data-dir=" + profile, "--screenshot=" + png, "--window-size=" + width + "," + height,
                html.toUri().toString());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Set<ProcessHandle> spawned = new HashSet<>();
        long deadline = System.nanoTime() + LIMIT.toNanos();
        try {
            while (process.isAlive() && System.nanoTime() < deadline) {
                process.descendants().forEach(spawned::add);
                process.waitFor(50, java.util.concurrent.TimeUnit.MILLISECONDS);
            }
            if (process.isAlive()) {
                throw new AssertionError("chromium took longer than " + LIMIT + " to screenshot " + html
                        + "; its log: " + log);
            }
            if (process.exitValue() != 0 || !Files.exists(png)) {
                throw new AssertionError("chromium exited " + process.exitValue() + " without a screenshot of "
                        + html + ": " + Files.readString(log));
            }
        } finally {
            List<ProcessHandle> all = new ArrayList<>(spawned);
            all.add(process.toHandle());
            all.forEach(ProcessHandle::destroyForcibly);
            deleteTree(profile);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (var paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
