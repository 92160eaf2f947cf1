package io.haupgrade.report;

/**
 * The last result of one health check on one node at a gate.
 *
 * @param node   the node checked, or {@code cluster} for a cluster-wide check
 * @param check  the check's name from the spec
 * @param detail what was seen (masked), e.g. {@code HTTP 200 in 12 ms} or {@code exit 1: resource stopped}
 */
public record CheckResult(String node, String check, boolean passed, String detail) {
}
