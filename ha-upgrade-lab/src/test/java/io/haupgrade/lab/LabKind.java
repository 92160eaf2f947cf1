package io.haupgrade.lab;

/**
 * What cluster software a lab runs. Each kind has its own namespace and directory prefix and its own address range, so
 * that a keepalived lab and a Pacemaker lab can run on the machine at the same time without touching each other.
 */
public enum LabKind {
    /** keepalived 2.2 (VRRP) nodes: {@code hulab-*}, 10.213.0.0/24. */
    KEEPALIVED("keepalived", "hulab-", "10.213.0"),
    /** Pacemaker 2.1 / Corosync 3 nodes (pcs, crmsh): {@code hupm-*}, 10.214.0.0/24. */
    PACEMAKER("pacemaker", "hupm-", "10.214.0");

    private final String scriptName;
    private final String prefix;
    private final String network;

    LabKind(String scriptName, String prefix, String network) {
        this.scriptName = scriptName;
        this.prefix = prefix;
        this.network = network;
    }

    /** {@code LAB_KIND} of lab.sh. */
    public String scriptName() {
        return scriptName;
    }

    /** Every namespace and directory of this kind of lab starts with it; teardown finds leftovers by it. */
    public String prefix() {
        return prefix;
    }

    /** The /24 of the lab's addresses, which exist only inside its namespaces. */
    public String range() {
        return network + ".0/24";
    }

    /** The first three octets of the lab's addresses. */
    String network() {
        return network;
    }

    public String clientNamespace() {
        return prefix + "client";
    }

    public String clientAddress() {
        return network + ".100";
    }

    /** Node {@code index} (1..9): .11, .12, ... */
    String nodeAddress(int index) {
        return network + "." + (10 + index);
    }

    /** The VIP of the lab's default configuration (.10). */
    public String defaultVip() {
        return network + ".10";
    }
}
