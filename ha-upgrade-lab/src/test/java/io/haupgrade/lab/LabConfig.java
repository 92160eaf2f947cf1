package io.haupgrade.lab;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * How to build a lab.
 *
 * @param nodes          keepalived nodes, 1..9; n1 has the highest priority and becomes the first master
 * @param vip            the virtual address; must lie in the lab range {@value #LAB_RANGE}
 * @param advertInterval VRRP advert interval (VRRPv3 allows fractions of a second)
 * @param serviceWarmup  how long the HTTP service takes after a (re)start before it listens
 * @param initialVersion the version every node's service runs at first
 * @param upTimeout      longest wait for the lab to be ready (every node up, one master holding the VIP)
 */
public record LabConfig(int nodes, String vip, Duration advertInterval, Duration serviceWarmup, String initialVersion,
        Duration upTimeout) {

    /** Exists only inside the lab's namespaces; the root namespace has an unreachable route for it. */
    public static final String LAB_RANGE = "10.213.0.0/24";

    private static final Pattern LAB_ADDRESS = Pattern.compile("10\\.213\\.0\\.(\\d{1,3})");
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9._+-]{1,40}");

    public LabConfig {
        if (nodes < 1 || nodes > 9) {
            throw new IllegalArgumentException("nodes must be 1..9, was " + nodes);
        }
        var vipMatch = LAB_ADDRESS.matcher(vip);
        if (!vipMatch.matches() || Integer.parseInt(vipMatch.group(1)) < 1 || Integer.parseInt(vipMatch.group(1)) > 10) {
            throw new IllegalArgumentException("vip must be 10.213.0.1..10.213.0.10 (in the lab range " + LAB_RANGE
                    + ", below the nodes' 10.213.0.11.. and the client's 10.213.0.100), was " + vip);
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

    /** 3 nodes, VIP 10.213.0.10, advert every 100 ms, 1.5 s service warm-up, version 1.0.0, 30 s to come up. */
    public static LabConfig defaults() {
        return new LabConfig(3, DEFAULT_VIP, Duration.ofMillis(100), Duration.ofMillis(1500), "1.0.0",
                Duration.ofSeconds(30));
    }

    public LabConfig withNodes(int count) {
        return new LabConfig(count, vip, advertInterval, serviceWarmup, initialVersion, upTimeout);
    }

    public LabConfig withAdvertInterval(Duration interval) {
        return new LabConfig(nodes, vip, interval, serviceWarmup, initialVersion, upTimeout);
    }

    public LabConfig withServiceWarmup(Duration warmup) {
        return new LabConfig(nodes, vip, advertInterval, warmup, initialVersion, upTimeout);
    }
}
