package io.haupgrade.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * The cluster of {@code ha-upgrade demo}: {@code node1..nodeN} as embedded SSH servers under {@code <dir>/nodes},
 * each with a {@link VersionedHttpService} driven by its {@code app/} files, and a {@link VirtualEndpoint} in front
 * that follows the node whose {@code role} file says {@code MASTER}, like a keepalived VIP.
 *
 * <p>A fresh directory gets every node on {@code initialVersion}, {@code node1} MASTER and the others BACKUP. A
 * directory that already holds nodes keeps their files (versions, roles, snapshots), so a demo that stopped half way
 * can be started again where it was. Keys and ports are new at every start: the client key
 * ({@link #clientKeyFile()}) and the known_hosts file ({@link #knownHostsFile()}) are written again for them.
 */
public final class DemoCluster implements AutoCloseable {
    public static final String PREFIX = "node";

    private final Path dir;
    private final EmbeddedSshCluster ssh;
    private final List<VersionedHttpService> services;
    private final VirtualEndpoint endpoint;
    private final Path clientKey;
    private final Path knownHosts;

    private DemoCluster(Path dir, EmbeddedSshCluster ssh, List<VersionedHttpService> services,
            VirtualEndpoint endpoint, Path clientKey, Path knownHosts) {
        this.dir = dir;
        this.ssh = ssh;
        this.services = List.copyOf(services);
        this.endpoint = endpoint;
        this.clientKey = clientKey;
        this.knownHosts = knownHosts;
    }

    /**
     * Starts {@code size} nodes in {@code dir} (created if missing); everything started is closed again when a
     * later part fails to start.
     */
    public static DemoCluster start(Path dir, int size, String initialVersion) {
        Path base = dir.toAbsolutePath().resolve("nodes");
        List<VersionedHttpService> services = new ArrayList<>();
        EmbeddedSshCluster ssh = null;
        VirtualEndpoint endpoint = null;
        try {
            for (int i = 1; i <= size; i++) {
                initialize(base.resolve(PREFIX + i), i == 1 ? "MASTER" : "BACKUP", initialVersion);
            }
            ssh = EmbeddedSshCluster.start(base, PREFIX, size);
            for (EmbeddedSshNode node : ssh.nodes()) {
                services.add(VersionedHttpService.start(node.name(), node.dir()));
            }
            endpoint = VirtualEndpoint.following(services);
            Path key = dir.toAbsolutePath().resolve("client_ed25519");
            writePrivate(key, ssh.clientKey().openSshPrivateKey(null));
            Path hosts = dir.toAbsolutePath().resolve("known_hosts");
            Files.writeString(hosts, ssh.knownHosts(), StandardCharsets.UTF_8);
            return new DemoCluster(dir.toAbsolutePath(), ssh, services, endpoint, key, hosts);
        } catch (IOException | RuntimeException e) {
            closeAll(endpoint, services, ssh);
            if (e instanceof IOException io) {
                throw new UncheckedIOException("cannot start the demo cluster in " + dir + ": " + io.getMessage(), io);
            }
            throw (RuntimeException) e;
        }
    }

    /** A node's files, unless it has them already: {@code app/version}, {@code app/state}, {@code role}. */
    private static void initialize(Path nodeDir, String role, String version) throws IOException {
        Path app = nodeDir.resolve("app");
        if (Files.exists(app.resolve("version"))) {
            return;
        }
        Files.createDirectories(app);
        Files.writeString(app.resolve("version"), version + "\n");
        Files.writeString(app.resolve("state"), "running\n");
        Files.writeString(nodeDir.resolve("role"), role + "\n");
    }

    private static void writePrivate(Path file, byte[] content) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(file, content);
    }

    /** The demo's directory. */
    public Path dir() {
        return dir;
    }

    public List<EmbeddedSshNode> nodes() {
        return ssh.nodes();
    }

    public EmbeddedSshNode node(String name) {
        return ssh.node(name);
    }

    /** The service of {@code node}. */
    public VersionedHttpService service(String node) {
        return services.stream().filter(s -> s.node().equals(node)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no node named " + node + " in the demo cluster"));
    }

    /** The virtual IP: where clients (and the probe) reach the service. */
    public VirtualEndpoint endpoint() {
        return endpoint;
    }

    /** The private key (OpenSSH format, mode 600) that every node accepts. */
    public Path clientKeyFile() {
        return clientKey;
    }

    /** known_hosts trusting exactly the nodes' host keys on their current ports. */
    public Path knownHostsFile() {
        return knownHosts;
    }

    /** Every port this cluster listens on: SSH of each node, each service, the endpoint. */
    public List<Integer> ports() {
        List<Integer> ports = new ArrayList<>();
        ssh.nodes().forEach(n -> ports.add(n.port()));
        services.forEach(s -> ports.add(s.port()));
        ports.add(endpoint.port());
        return ports;
    }

    /** Stops the endpoint, the services and the SSH servers (killing commands still running). */
    @Override
    public void close() {
        closeAll(endpoint, services, ssh);
    }

    private static void closeAll(VirtualEndpoint endpoint, List<VersionedHttpService> services,
            EmbeddedSshCluster ssh) {
        if (endpoint != null) {
            endpoint.close();
        }
        services.forEach(VersionedHttpService::close);
        if (ssh != null) {
            ssh.close();
        }
    }
}
