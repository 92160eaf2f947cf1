package io.haupgrade.report;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Escaping and the few formats the HTML report uses, in one place so every text goes through them. */
final class Text {

    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    private Text() {
    }

    /** Escapes text for HTML and SVG content and attribute values; null becomes empty. */
    static String esc(Object value) {
        if (value == null) {
            return "";
        }
        String text = value.toString();
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> {
                    // Control characters are not allowed in HTML text or XML (the SVG); they carry no meaning here.
                    if (c < 0x20 && c != '\n' && c != '\t') {
                        out.append('\uFFFD');
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    /** {@code 400 ms}, {@code 28.4 s}, {@code 3 min 12 s}, {@code 1 h 02 min}; a dash for null. */
    static String duration(Duration d) {
        if (d == null) {
            return "–";
        }
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + " ms";
        }
        if (ms < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
        }
        long s = ms / 1000;
        if (s < 3600) {
            return (s / 60) + " min " + (s % 60) + " s";
        }
        return (s / 3600) + " h " + String.format(Locale.ROOT, "%02d", (s % 3600) / 60) + " min";
    }

    static String dateTime(Instant at) {
        return at == null ? "–" : DATE_TIME.format(at);
    }

    static String time(Instant at) {
        return at == null ? "–" : TIME.format(at);
    }

    /** Seconds since {@code origin}: {@code +12.6 s}, {@code -0.5 s}. */
    static String offset(Instant origin, Instant at) {
        if (origin == null || at == null) {
            return "–";
        }
        return String.format(Locale.ROOT, "%+.1f s", Duration.between(origin, at).toMillis() / 1000.0);
    }

    static String percent(double value) {
        return String.format(Locale.ROOT, "%.2f %%", value);
    }

    /** A number for SVG coordinates: one decimal, never a locale's comma. */
    static String num(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    static String lower(Enum<?> value) {
        return value == null ? "–" : value.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
}
