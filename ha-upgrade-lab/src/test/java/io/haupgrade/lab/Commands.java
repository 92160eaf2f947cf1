package io.haupgrade.lab;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Runs a local command to completion within a time limit; a command past its limit is killed with its children. */
final class Commands {
    private static final Duration DRAIN = Duration.ofSeconds(5);

    private Commands() {
    }

    static CommandOutput run(List<String> command, Map<String, String> environment, Duration timeout) {
        long start = System.nanoTime();
        ProcessBuilder builder = new ProcessBuilder(command).redirectInput(new java.io.File("/dev/null"));
        builder.environment().putAll(environment);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new LabException("cannot start " + String.join(" ", command) + ": " + e.getMessage(), e);
        }
        CompletableFuture<String> stdout = drain(process.getInputStream());
        CompletableFuture<String> stderr = drain(process.getErrorStream());
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill(process);
                throw new LabException("timed out after " + timeout.toMillis() + " ms: " + String.join(" ", command)
                        + "\nstdout: " + partial(stdout) + "\nstderr: " + partial(stderr));
            }
            return new CommandOutput(command, process.exitValue(), await(stdout), await(stderr),
                    Duration.ofNanos(System.nanoTime() - start));
        } catch (InterruptedException e) {
            kill(process);
            Thread.currentThread().interrupt();
            throw new LabException("interrupted while running " + String.join(" ", command), e);
        }
    }

    static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private static CompletableFuture<String> drain(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (stream) {
                var buffer = new ByteArrayOutputStream();
                stream.transferTo(buffer);
                return buffer.toString(StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static String await(CompletableFuture<String> output) throws InterruptedException {
        try {
            // A daemon the command started may still hold the pipe: do not wait for it forever.
            return output.get(DRAIN.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return "(output not readable: " + e + ")";
        }
    }

    private static String partial(CompletableFuture<String> output) {
        return output.getNow("(still open)").strip();
    }
}
