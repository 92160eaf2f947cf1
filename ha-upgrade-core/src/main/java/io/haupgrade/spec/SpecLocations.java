package io.haupgrade.spec;

import io.haupgrade.spec.SpecTree.Location;
import java.util.HashMap;
import java.util.Map;

/** Where each bound value was written, by path ({@code nodes[1].commands.fence[0].run}), for later errors. */
final class SpecLocations {
    private final Map<String, Location> byPath = new HashMap<>();

    void put(String path, Location location) {
        byPath.putIfAbsent(path, location);
    }

    /** The place of {@code path}, or of its nearest written ancestor (for something that is missing). */
    Location find(String path) {
        String p = path;
        while (true) {
            Location location = byPath.get(p);
            if (location != null) {
                return location;
            }
            if (p.isEmpty()) {
                return Location.NONE;
            }
            p = parent(p);
        }
    }

    static String parent(String path) {
        int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
        return cut < 0 ? "" : path.substring(0, cut);
    }
}
