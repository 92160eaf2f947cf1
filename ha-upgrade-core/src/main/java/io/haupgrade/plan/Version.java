package io.haupgrade.plan;

import io.haupgrade.spec.VersionJump;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A dotted numeric version ({@code 6.1.2}), optionally with a packaging suffix after {@code -}, {@code +} or
 * {@code ~} ({@code 2.1.5-3}, {@code 1.28.3+k3s1}) that is kept for display but not compared: the ordering looks at
 * the numbers only and is therefore not consistent with {@code equals}.
 */
public record Version(String text, List<Integer> numbers) implements Comparable<Version> {

    private static final Pattern FORM = Pattern.compile("(\\d+(?:\\.\\d+)*)([-+~][0-9A-Za-z.+~-]*)?");

    public Version {
        numbers = List.copyOf(numbers);
    }

    /**
     * @param what names the value in the error, e.g. "target version"
     * @throws PlanException when the text is not a dotted numeric version
     */
    public static Version parse(String text, String what) throws PlanException {
        String trimmed = text == null ? "" : text.trim();
        Matcher m = FORM.matcher(trimmed);
        if (!m.matches()) {
            throw new PlanException(what + " '" + text + "' is not a dotted numeric version",
                    "write it as numbers separated by dots, e.g. 6.1.2 (a suffix after - or + is allowed: 2.1.5-3)");
        }
        List<Integer> numbers = new ArrayList<>();
        for (String part : m.group(1).split("\\.")) {
            try {
                numbers.add(Integer.parseInt(part));
            } catch (NumberFormatException e) {
                throw new PlanException(what + " '" + text + "' has a component too large to compare: " + part,
                        "write each component as a number below 2147483648");
            }
        }
        return new Version(trimmed, numbers);
    }

    /** The kind of change from this version to {@code target}; PATCH when only later components or the suffix differ. */
    public VersionJump jumpTo(Version target) {
        if (component(0) != target.component(0)) {
            return VersionJump.MAJOR;
        }
        if (component(1) != target.component(1)) {
            return VersionJump.MINOR;
        }
        return VersionJump.PATCH;
    }

    /** Missing components count as 0, so 6.1 equals 6.1.0. */
    @Override
    public int compareTo(Version other) {
        int length = Math.max(numbers.size(), other.numbers.size());
        for (int i = 0; i < length; i++) {
            int c = Integer.compare(component(i), other.component(i));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private int component(int i) {
        return i < numbers.size() ? numbers.get(i) : 0;
    }

    @Override
    public String toString() {
        return text;
    }
}
