package io.haupgrade.lab;

/**
 * One keepalived node of the lab.
 *
 * @param name      node name and host name (n1, n2, ...)
 * @param address   its address on the lab network, where sshd (port 22) and the service (port 8080) listen
 * @param namespace its network namespace
 * @param priority  its configured VRRP priority; n1's is the highest
 */
public record LabNode(String name, String address, String namespace, int priority) {

    public static final int SSH_PORT = 22;
    public static final int SERVICE_PORT = 8080;

    static LabNode numbered(int index) {
        return new LabNode("n" + index, "10.213.0." + (10 + index), Lab.NAMESPACE_PREFIX + "n" + index,
                160 - 10 * index);
    }
}
