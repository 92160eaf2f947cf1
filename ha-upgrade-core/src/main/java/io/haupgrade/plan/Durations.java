package io.haupgrade.plan;

import java.time.Duration;

/** Durations the way a person writes them: 90s, 5m, 1h 5m. */
final class Durations {
    private Durations() {
    }

    static String format(Duration d) {
        long seconds = d.toSeconds();
        if (seconds == 0) {
            return d.toMillis() + "ms";
        }
        long h = seconds / 3600;
        long m = seconds % 3600 / 60;
        long s = seconds % 60;
        StringBuilder out = new StringBuilder();
        if (h > 0) {
            out.append(h).append('h');
        }
        if (m > 0) {
            out.append(out.isEmpty() ? "" : " ").append(m).append('m');
        }
        if (s > 0) {
            out.append(out.isEmpty() ? "" : " ").append(s).append('s');
        }
        return out.toString();
    }
}
