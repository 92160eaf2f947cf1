package io.haupgrade.lab;

/**
 * One node of the lab.
 *
 * @param name      node name and host name (n1, n2, ...)
 * @param address   its address on the lab network, where sshd (port 22) and the service (port 8080) listen
 * @param namespace its network namespace
 * @param priority  its configured VRRP priority (keepalived labs); n1's is the highest
 */
public record LabNode(String name, String address, String namespace, int priority) {

    public static final int SSH_PORT = 22;
    public static final int SERVICE_PORT = 8080;

    static LabNode numbered(LabKind kind, int index) {
        return new LabNode("n" + index, kind.nodeAddress(index), kind.prefix() + "n" + index, 160 - 10 * index);
    }
}
