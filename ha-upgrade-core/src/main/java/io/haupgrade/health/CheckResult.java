package io.haupgrade.health;

import java.time.Duration;

/**
 * One check on one node (or on the cluster, {@code node} null): passed or not, and the last output, so a person
 * reading a red gate sees why without rerunning anything.
 */
public record CheckResult(String node, String check, boolean passed, String output, Duration elapsed) {
    private static final int MAX_OUTPUT = 2000;

    public CheckResult {
        output = output == null ? "" : tail(output.strip());
    }

    public static CheckResult pass(String node, String check, String output, Duration elapsed) {
        return new CheckResult(node, check, true, output, elapsed);
    }

    public static CheckResult fail(String node, String check, String output, Duration elapsed) {
        return new CheckResult(node, check, false, output, elapsed);
    }

    /** "n2/service" or "cluster/vip". */
    public String where() {
        return (node == null ? "cluster" : node) + "/" + check;
    }

    private static String tail(String text) {
        return text.length() <= MAX_OUTPUT ? text : "..." + text.substring(text.length() - MAX_OUTPUT);
    }
}
