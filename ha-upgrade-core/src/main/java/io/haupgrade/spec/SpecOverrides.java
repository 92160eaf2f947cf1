package io.haupgrade.spec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What a driver (a pipeline step, a freestyle build step, a command line) may change in a cluster file for one run
 * without editing the file: strategy, target version, failure policy and approvals. A null field keeps the file's
 * value. {@link #parse} reads the values as people write them, so every driver refuses a bad value with the same
 * message and hint.
 *
 * @param approvalPoints the approval points in force instead of the file's (an empty list means none)
 * @param submitters     users or groups allowed to approve, instead of the file's
 */
public record SpecOverrides(Strategy strategy, String targetVersion, FailureAction onFailure,
        List<ApprovalPoint> approvalPoints, List<String> submitters, Duration approvalTimeout) {

    public static final SpecOverrides NONE = new SpecOverrides(null, null, null, null, null, null);

    public SpecOverrides {
        approvalPoints = approvalPoints == null ? null : List.copyOf(approvalPoints);
        submitters = submitters == null ? null : List.copyOf(submitters);
    }

    /**
     * Reads the overrides as written in a step's fields; blank means "keep the file's value".
     *
     * @param approvalPoints comma-separated kebab-case points ({@code before-switchover, after-first-node}), or
     *                       {@code none}
     * @param submitters     comma-separated users or groups
     * @throws IllegalArgumentException naming the field, the value and what would be accepted
     */
    public static SpecOverrides parse(String strategy, String targetVersion, String onFailure, String approvalPoints,
            String submitters, String approvalTimeout) {
        return new SpecOverrides(
                blank(strategy) ? null : constant(Strategy.class, "strategy", strategy),
                blank(targetVersion) ? null : targetVersion.strip(),
                blank(onFailure) ? null : constant(FailureAction.class, "onFailure", onFailure),
                blank(approvalPoints) ? null : points(approvalPoints),
                blank(submitters) ? null : list(submitters),
                blank(approvalTimeout) ? null : duration("timeout", approvalTimeout));
    }

    /** The spec as this run sees it. */
    public ClusterSpec applyTo(ClusterSpec spec) {
        UpgradePolicy p = spec.policy();
        Approvals a = p.approvals();
        Approvals approvals = new Approvals(approvalPoints != null ? approvalPoints : a.at(),
                approvalTimeout != null ? approvalTimeout : a.timeout(), a.onTimeout(), a.requireOtherApprover(),
                submitters != null ? submitters : a.submitters());
        UpgradePolicy policy = new UpgradePolicy(strategy != null ? strategy : p.strategy(), p.maxUnavailable(),
                approvals, onFailure != null ? onFailure : p.onFailure(), p.failback(), p.quorum(),
                p.trustDiscoveredRoles(), p.retries(), p.timeouts());
        return new ClusterSpec(spec.name(), spec.description(), spec.profile(),
                targetVersion != null ? targetVersion : spec.targetVersion(), spec.currentVersion(), spec.ssh(),
                spec.nodes(), spec.groups(), spec.discovery(), spec.commands(), spec.hooks(), spec.health(),
                spec.probe(), policy, spec.compatibility(), spec.variables());
    }

    /**
     * A copy that checks host keys against {@code knownHosts} (OpenSSH known_hosts lines, strict: no new key is
     * accepted), for drivers that keep them elsewhere than the spec, such as a Jenkins secret file.
     */
    public static ClusterSpec withKnownHosts(ClusterSpec spec, String knownHosts) {
        SshSettings s = spec.ssh();
        SshSettings ssh = new SshSettings(s.user(), s.port(), s.credentialsId(), new KnownHosts(null, knownHosts, false),
                s.connectTimeout(), s.keepAlive(), s.connectRetries(), s.jumpHost(), s.sudo(), s.parallelism());
        return new ClusterSpec(spec.name(), spec.description(), spec.profile(), spec.targetVersion(),
                spec.currentVersion(), ssh, spec.nodes(), spec.groups(), spec.discovery(), spec.commands(),
                spec.hooks(), spec.health(), spec.probe(), spec.policy(), spec.compatibility(), spec.variables());
    }

    /** A duration as written in a cluster file ({@code 30m}, {@code 1h30m}, {@code PT2H}). */
    public static Duration duration(String field, String text) {
        return Durations.parse(text).orElseThrow(() -> new IllegalArgumentException(
                field + ": '" + text.strip() + "' is not a duration; hint: " + Durations.HINT));
    }

    private static List<ApprovalPoint> points(String text) {
        if (text.strip().equalsIgnoreCase("none")) {
            return List.of();
        }
        List<ApprovalPoint> points = new ArrayList<>();
        for (String item : list(text)) {
            points.add(constant(ApprovalPoint.class, "approvals", item));
        }
        return points;
    }

    private static List<String> list(String text) {
        return Arrays.stream(text.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private static <E extends Enum<E>> E constant(Class<E> type, String field, String text) {
        String name = text.strip().toUpperCase(Locale.ROOT).replace('-', '_');
        for (E value : type.getEnumConstants()) {
            if (value.name().equals(name)) {
                return value;
            }
        }
        throw new IllegalArgumentException(field + ": unknown value '" + text.strip() + "'; hint: write one of "
                + Arrays.stream(type.getEnumConstants()).map(SpecOverrides::kebab).toList());
    }

    /** An enum constant as cluster files write it: {@code before-switchover}. */
    public static String kebab(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }
}
