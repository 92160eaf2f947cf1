package io.haupgrade.spec;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people write them in a cluster file: {@code 500ms}, {@code 30s}, {@code 1h30m}, {@code PT30S}, {@code 90}. */
public final class Durations {
    /** The accepted forms, as a regular expression (also the JSON Schema's pattern). */
    public static final String PATTERN = "^([0-9]+|([0-9]+(ms|s|m|h))+|[Pp][0-9DTHMSdthms.]+)$";
    /** What to tell someone who wrote something else. */
    public static final String HINT = "write e.g. 500ms, 30s, 5m, 1h30m, 2h, PT30S, or a whole number of seconds";

    private static final Pattern FORM = Pattern.compile(PATTERN);
    private static final Pattern PART = Pattern.compile("([0-9]+)(ms|s|m|h)");

    private Durations() {
    }

    /** The duration written as {@code text}, or empty when it is not one of the accepted forms or negative. */
    public static Optional<Duration> parse(String text) {
        String written = text.strip();
        if (!FORM.matcher(written).matches()) {
            return Optional.empty();
        }
        try {
            if (written.chars().allMatch(Character::isDigit)) {
                return Optional.of(Duration.ofSeconds(Long.parseLong(written)));
            }
            if (written.charAt(0) == 'P' || written.charAt(0) == 'p') {
                Duration iso = Duration.parse(written.toUpperCase(Locale.ROOT));
                return iso.isNegative() ? Optional.empty() : Optional.of(iso);
            }
            Duration total = Duration.ZERO;
            Matcher part = PART.matcher(written);
            while (part.find()) {
                long amount = Long.parseLong(part.group(1));
                total = total.plus(switch (part.group(2)) {
                    case "ms" -> Duration.ofMillis(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    default -> Duration.ofHours(amount);
                });
            }
            return Optional.of(total);
        } catch (NumberFormatException | DateTimeParseException | ArithmeticException e) {
            return Optional.empty();
        }
    }
}
