package io.haupgrade.ssh;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Replaces every registered secret value with {@value #MASK} in output lines, results and messages. One instance
 * per run, shared by everything that turns remote text into events, reports or exceptions. Longer values are
 * replaced first, so a secret that contains another is masked whole.
 */
public final class SecretMasker {
    public static final String MASK = "****";

    private volatile List<String> values = List.of();

    public synchronized void register(String value) {
        if (value == null || value.isEmpty() || values.contains(value)) {
            return;
        }
        List<String> updated = new ArrayList<>(values);
        updated.add(value);
        updated.sort(Comparator.comparingInt(String::length).reversed());
        values = List.copyOf(updated);
    }

    public void register(Secret secret) {
        if (secret != null) {
            register(secret.reveal());
        }
    }

    public void register(Credential credential) {
        credential.secretValues().forEach(this::register);
    }

    public String mask(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String masked = text;
        for (String value : values) {
            masked = masked.replace(value, MASK);
        }
        return masked;
    }

    public CommandResult mask(CommandResult result) {
        return new CommandResult(result.exitCode(), mask(result.stdout()), mask(result.stderr()),
                result.droppedLines(), result.elapsed(), result.timedOut());
    }

    /** A listener that sees every line masked before {@code delegate} does. */
    public OutputListener masking(OutputListener delegate) {
        return (stream, line) -> delegate.line(stream, mask(line));
    }
}
