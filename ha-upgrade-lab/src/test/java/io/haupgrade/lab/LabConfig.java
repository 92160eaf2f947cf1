package io.haupgrade.lab;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * How to build a lab.
 *
 * @param nodes          cluster nodes, 1..9; n1 has the highest priority (keepalived) or VIP preference (Pacemaker)
 * @param vip            the virtual address; must lie in the kind's lab range, below the nodes' addresses
 * @param advertInterval VRRP advert interval (VRRPv3 allows fractions of a second)
 * @param serviceWarmup  how long the HTTP service takes after a (re)start before it listens
 * @param initialVersion the version every node's service runs at first
 * @param upTimeout      longest wait for the lab to be ready (every node up, one master holding the VIP)
 * @param kind           the cluster software: keepalived or Pacemaker
 */
public record LabConfig(int nodes, String vip, Duration advertInterval, Duration serviceWarmup, String initialVersion,
        Duration upTimeout, LabKind kind) {

    /** The keepalived lab's range: exists only inside the lab's namespaces; the root namespace has an unreachable route for it. */
    public static final String LAB_RANGE = "10.213.0.0/24";

    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9._+-]{1,40}");

    public LabConfig {
        java.util.Objects.requireNonNull(kind, "kind");
        if (nodes < 1 || nodes > 9) {
            throw new IllegalArgumentException("nodes must be 1..9, was " + nodes);
        }
        var vipMatch = Pattern.compile(Pattern.quote(kind.network() + ".") + "(\\d{1,3})").matcher(vip);
        if (!vipMatch.matches() || Integer.parseInt(vipMatch.group(1)) < 1 || Integer.parseInt(vipMatch.group(1)) > 10) {
            throw new IllegalArgumentException("vip must be " + kind.network() + ".1.." + kind.defaultVip()
                    + " (in the lab range " + kind.range() + ", below the nodes' " + kind.nodeAddress(1)
                    + ".. and the client's " + kind.clientAddress() + "), was " + vip);
        }
        if (advertInterval.compareTo(Duration.ofMillis(10)) < 0 || advertInterval.compareTo(Duration.ofSeconds(40)) > 0) {
            throw new IllegalArgumentException("advertInterval must be 10ms..40s (VRRPv3), was " + advertInterval);
        }
        if (serviceWarmup.isNegative()) {
            throw new IllegalArgumentException("serviceWarmup must not be negative, was " + serviceWarmup);
        }
        if (!VERSION.matcher(initialVersion).matches()) {
            throw new IllegalArgumentException("initialVersion must match " + VERSION + ", was " + initialVersion);
        }
        if (upTimeout.isNegative() || upTimeout.isZero()) {
            throw new IllegalArgumentException("upTimeout must be positive, was " + upTimeout);
        }
    }

    public static final String DEFAULT_VIP = "10.213.0.10";

    /** keepalived: 3 nodes, VIP 10.213.0.10, advert every 100 ms, 1.5 s service warm-up, version 1.0.0, 30 s to come up. */
    public static LabConfig defaults() {
        return new LabConfig(3, DEFAULT_VIP, Duration.ofMillis(100), Duration.ofMillis(1500), "1.0.0",
                Duration.ofSeconds(30), LabKind.KEEPALIVED);
    }

    /**
     * Pacemaker: 3 nodes, VIP 10.214.0.10, 1.5 s service warm-up, version 1.0.0, 60 s to come up (corosync membership,
     * the first election and the start of every resource; ~10 s here). The advert interval is not used.
     */
    public static LabConfig pacemaker() {
        return new LabConfig(3, LabKind.PACEMAKER.defaultVip(), Duration.ofMillis(100), Duration.ofMillis(1500), "1.0.0",
                Duration.ofSeconds(60), LabKind.PACEMAKER);
    }

    public LabConfig withNodes(int count) {
        return new LabConfig(count, vip, advertInterval, serviceWarmup, initialVersion, upTimeout, kind);
    }

    public LabConfig withAdvertInterval(Duration interval) {
        return new LabConfig(nodes, vip, interval, serviceWarmup, initialVersion, upTimeout, kind);
    }

    public LabConfig withServiceWarmup(Duration warmup) {
        return new LabConfig(nodes, vip, advertInterval, warmup, initialVersion, upTimeout, kind);
    }
}
