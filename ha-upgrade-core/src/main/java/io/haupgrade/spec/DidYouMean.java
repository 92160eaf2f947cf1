package io.haupgrade.spec;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** Finds the word someone probably meant: the closest candidate by edit distance, if it is close enough. */
public final class DidYouMean {
    private DidYouMean() {
    }

    public static Optional<String> closest(String written, Collection<String> candidates) {
        String wanted = normalize(written);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            String normalized = normalize(candidate);
            // snake_case, kebab-case or another letter case of a candidate is that candidate.
            int distance = normalized.equals(wanted) ? 0 : distance(wanted, normalized);
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        int allowed = Math.max(1, Math.min(3, normalize(best).length() / 3));
        return bestDistance <= allowed ? Optional.of(best) : Optional.empty();
    }

    /** {@code did you mean 'x'? } or nothing. */
    public static String hint(String written, Collection<String> candidates) {
        return closest(written, candidates).map(c -> "did you mean '" + c + "'? ").orElse("");
    }

    private static String normalize(String word) {
        return word.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
    }

    /** Edit distance counting insertion, deletion, substitution and the swap of two neighbours ("hots" for "host"). */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(d[i - 1][j - 1] + cost, Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1));
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
