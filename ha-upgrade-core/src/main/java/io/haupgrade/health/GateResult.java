package io.haupgrade.health;

import io.haupgrade.spec.Role;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One attempt of a health gate: every check on every node and on the cluster, and the cluster-level problems
 * (roles, quorum). {@code healthy} only when nothing failed.
 */
public record GateResult(
        boolean healthy,
        int attempt,
        Instant at,
        Duration elapsed,
        Map<String, Role> roles,
        Map<String, String> versions,
        List<CheckResult> checks,
        List<String> problems) {

    public GateResult {
        roles = Map.copyOf(roles);
        versions = Map.copyOf(versions);
        checks = List.copyOf(checks);
        problems = List.copyOf(problems);
    }

    public List<CheckResult> failed() {
        return checks.stream().filter(c -> !c.passed()).toList();
    }

    /** The checks per node (cluster-level checks under "cluster"), in the order they were listed. */
    public Map<String, List<CheckResult>> byNode() {
        return checks.stream().collect(Collectors.groupingBy(c -> c.node() == null ? "cluster" : c.node(),
                LinkedHashMap::new, Collectors.toList()));
    }

    /** One line for a terminal or a log: green, or what is red. */
    public String summary() {
        if (healthy) {
            return "healthy (" + checks.size() + " checks passed, attempt " + attempt + ")";
        }
        String red = failed().stream().map(c -> c.where() + (c.output().isEmpty() ? "" : ": " + firstLine(c.output())))
                .collect(Collectors.joining("; "));
        String all = problems.isEmpty() ? red : String.join("; ", problems) + (red.isEmpty() ? "" : "; " + red);
        return "unhealthy: " + all + " (attempt " + attempt + ")";
    }

    private static String firstLine(String text) {
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl) + " ...";
    }
}
