package io.haupgrade.profile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

/**
 * Runs a rendered command with the real /bin/sh, with stand-ins for the HA stack's tools (crm_resource, etcdctl, ip,
 * ...) first in PATH: each stand-in appends its arguments to {@code calls.log} and prints recorded output.
 */
final class FakeTools {
    record Result(int exitCode, String stdout, String stderr) {
    }

    private final Path bin;
    private final Path log;

    FakeTools(Path directory) throws IOException {
        this.bin = Files.createDirectories(directory.resolve("bin"));
        this.log = directory.resolve("calls.log");
        Files.writeString(log, "");
    }

    /** A stand-in named {@code tool} running {@code script} (sh) after logging "tool args". */
    FakeTools tool(String tool, String script) throws IOException {
        Path file = bin.resolve(tool);
        Files.writeString(file, "#!/bin/sh\necho \"" + tool + " $*\" >> '" + log + "'\n" + script + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return this;
    }

    String calls() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    Result run(String command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", command);
        // Not the machine's PATH: Debian installs pcs, crm, crm_mon, ip, sysctl, nft in the sbin directories, and a
        // test must see only the stand-ins it made, whatever the machine running it has installed.
        builder.environment().put("PATH", bin + ":/usr/bin:/bin");
        Path out = Files.createTempFile(bin.getParent(), "out", ".txt");
        Path err = Files.createTempFile(bin.getParent(), "err", ".txt");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("command did not finish in 20 s: " + command);
        }
        return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    }
}
