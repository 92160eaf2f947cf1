package io.haupgrade.spec;

import io.haupgrade.spec.SpecTree.Location;
import java.util.HashMap;
import java.util.Map;

/**
 * Where each bound value was written, by path ({@code nodes[1].commands.fence[0].run}), for later errors. A spec
 * with a profile is made of two files: values taken from the profile keep the profile file and their path there, so
 * an error about them points into the file that wrote them.
 */
public final class SpecLocations {
    /** A value's file, its place there, and its path in that file. */
    private record Place(String source, Location location, String path) {
    }

    private final String source;
    private final Map<String, Place> byPath = new HashMap<>();

    public SpecLocations(String source) {
        this.source = source;
    }

    public String source() {
        return source;
    }

    void put(String path, Location location) {
        byPath.putIfAbsent(path, new Place(source, location, path));
    }

    /** Whether a value was written at exactly {@code path} (a default fills what was not written). */
    public boolean written(String path) {
        return byPath.containsKey(path);
    }

    /**
     * Places every value {@code other} has at {@code otherPrefix} (and below) at {@code prefix} here, keeping the file
     * and path it was written at.
     */
    public void adopt(String prefix, SpecLocations other, String otherPrefix) {
        other.byPath.forEach((path, place) -> {
            if (path.equals(otherPrefix) || path.startsWith(otherPrefix + ".") || path.startsWith(otherPrefix + "[")) {
                byPath.put(prefix + path.substring(otherPrefix.length()), place);
            }
        });
    }

    /** An error about the value at {@code path}, placed where it (or its nearest written ancestor) was written. */
    public SpecError error(String path, String message, String hint) {
        String p = path;
        while (true) {
            Place place = byPath.get(p);
            if (place != null) {
                return new SpecError(place.source(), place.location().line(), place.location().column(),
                        place.path() + path.substring(p.length()), message, hint);
            }
            if (p.isEmpty()) {
                return new SpecError(source, 0, 0, path, message, hint);
            }
            p = parent(p);
        }
    }

    /** "at line 8", "at profile.yaml:8" when written in another file, or the path when not read from a file. */
    String describe(String path) {
        SpecError at = error(path, "", "");
        if (at.line() == 0) {
            return "is " + path;
        }
        return at.source().equals(source) ? "at line " + at.line() : "at " + at.source() + ":" + at.line();
    }

    static String parent(String path) {
        int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
        return cut < 0 ? "" : path.substring(0, cut);
    }
}
