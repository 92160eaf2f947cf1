package io.haupgrade.ssh;

/** The host key a server presented while connecting to {@code node} at {@code host:port}. */
public record PresentedHostKey(String node, String host, int port, HostKey key) {

    /** How known_hosts names this address: {@code host} on port 22, {@code [host]:port} otherwise. */
    public String knownHostsName() {
        return knownHostsName(host, port);
    }

    static String knownHostsName(String host, int port) {
        return port == 22 ? host : "[" + host + "]:" + port;
    }

    /** The known_hosts line that would trust this key. */
    public String knownHostsLine() {
        return knownHostsName() + " " + key.type() + " " + key.base64();
    }

    @Override
    public String toString() {
        return "node " + node + " (" + host + ":" + port + ") " + key.type() + " key " + key.sha256Fingerprint();
    }
}
