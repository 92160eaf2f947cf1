package io.haupgrade.health;

import java.time.Duration;
import java.util.Map;

/** Healthy when the node runs the version expected of it (the target, once the node is upgraded). */
public final class VersionCheck implements HealthCheck {
    public static final String NAME = "version";

    private final Map<String, String> expected;

    /** @param expected node to the version it must run; nodes not listed pass */
    public VersionCheck(Map<String, String> expected) {
        this.expected = Map.copyOf(expected);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public CheckResult check(String node, ClusterView view) {
        String want = expected.get(node);
        String have = view.versions().get(node);
        if (want == null) {
            return CheckResult.pass(node, NAME, have == null ? "not checked" : have, Duration.ZERO);
        }
        if (have == null) {
            return CheckResult.fail(node, NAME, "version unknown (discovery.version failed), expected " + want, Duration.ZERO);
        }
        return want.equals(have)
                ? CheckResult.pass(node, NAME, have, Duration.ZERO)
                : CheckResult.fail(node, NAME, "runs " + have + ", expected " + want, Duration.ZERO);
    }
}
