package io.haupgrade.lab;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A probe of the service through the VIP, running as its own JVM ({@link ProbeMain}) in the lab's client namespace,
 * where the tool under test runs too. {@link #stop()} ends it and returns everything it saw.
 */
public final class LabProbe implements AutoCloseable {
    private static final Duration FIRST_ANSWER = Duration.ofSeconds(20);
    private static final Duration STOP_WAIT = Duration.ofSeconds(10);

    private final Process process;
    private final List<ProbeSample> samples = new ArrayList<>();
    private final CountDownLatch firstSuccess = new CountDownLatch(1);
    private final Thread reader;
    private volatile String readFailure;

    private LabProbe(Process process) {
        this.process = process;
        this.reader = new Thread(this::read, "lab-probe-reader");
        this.reader.setDaemon(true);
        this.reader.start();
    }

    /**
     * Starts probing {@code lab.serviceUrl()} every {@code interval}, each request bounded by {@code timeout}, for
     * at most {@code longest}; returns once the first request succeeded.
     */
    public static LabProbe start(Lab lab, Duration interval, Duration timeout, Duration longest) {
        Process process = lab.startInClient(Lab.javaCommand(ProbeMain.class, lab.serviceUrl(),
                Long.toString(interval.toMillis()), Long.toString(timeout.toMillis()),
                Long.toString(longest.toSeconds()), ProbeMain.STOP_ON_EOF), "probe");
        var probe = new LabProbe(process);
        try {
            if (!probe.firstSuccess.await(FIRST_ANSWER.toMillis(), TimeUnit.MILLISECONDS)) {
                probe.close();
                throw new LabException("the probe got no successful answer from " + lab.serviceUrl() + " within "
                        + FIRST_ANSWER.toSeconds() + " s; seen: " + probe.snapshot().summary()
                        + (probe.readFailure == null ? "" : "; " + probe.readFailure));
            }
        } catch (InterruptedException e) {
            probe.close();
            Thread.currentThread().interrupt();
            throw new LabException("interrupted while starting the probe", e);
        }
        return probe;
    }

    /** What the probe saw so far; it keeps running. */
    public ProbeReport snapshot() {
        synchronized (samples) {
            return new ProbeReport(samples);
        }
    }

    /** Stops the probe (closes its input) and returns everything it saw. */
    public ProbeReport stop() {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new LabException("the probe did not stop within " + STOP_WAIT.toSeconds() + " s");
            }
            reader.join(STOP_WAIT.toMillis());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted while stopping the probe", e);
        } finally {
            close();
        }
        if (readFailure != null) {
            throw new LabException(readFailure);
        }
        return snapshot();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            Commands.kill(process);
        }
    }

    private void read() {
        var mapper = new ObjectMapper();
        try (var lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                ProbeSample sample = mapper.readValue(line, ProbeSample.class);
                synchronized (samples) {
                    samples.add(sample);
                }
                if (sample.ok()) {
                    firstSuccess.countDown();
                }
            }
        } catch (IOException e) {
            readFailure = "probe output not readable: " + e.getMessage();
        }
    }
}
