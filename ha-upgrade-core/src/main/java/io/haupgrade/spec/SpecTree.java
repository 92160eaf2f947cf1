package io.haupgrade.spec;

import com.fasterxml.jackson.core.JsonToken;
import java.util.List;
import java.util.Map;

/** The file as read, before binding: every node keeps the line and column it was written at. */
final class SpecTree {
    private SpecTree() {
    }

    /** A place in the file; line and column start at 1. */
    record Location(int line, int column) {
        static final Location NONE = new Location(0, 0);
    }

    sealed interface Node permits Scalar, Mapping, Sequence {
        Location location();

        /** How the node reads in an error message: "a mapping", "a list", or the scalar quoted. */
        String describe();
    }

    /** A scalar; {@code text} is null for an empty value ({@code key:} or {@code ~}). */
    record Scalar(String text, JsonToken token, Location location) implements Node {
        boolean isNull() {
            return token == JsonToken.VALUE_NULL;
        }

        @Override
        public String describe() {
            return isNull() ? "nothing" : "'" + text + "'";
        }
    }

    record Entry(Location keyLocation, Node value) {
    }

    /** A mapping in the order written. */
    record Mapping(Map<String, Entry> entries, Location location) implements Node {
        @Override
        public String describe() {
            return "a mapping";
        }
    }

    record Sequence(List<Node> items, Location location) implements Node {
        @Override
        public String describe() {
            return "a list";
        }
    }
}
