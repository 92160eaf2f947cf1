package io.haupgrade.execute;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.haupgrade.embedded.EmbeddedSshCluster;
import io.haupgrade.embedded.EmbeddedSshNode;
import io.haupgrade.profile.Profiles;
import io.haupgrade.spec.ClusterSpec;
import io.haupgrade.spec.SpecException;
import io.haupgrade.ssh.PrivateKeyCredential;
import io.haupgrade.ssh.SecretMasker;
import io.haupgrade.ssh.SshConnector;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real etcd 3.4 cluster for engine tests, one member per embedded SSH node, all on 127.0.0.1 with ports of their
 * own. Each node's directory holds {@code client} and {@code peer} (its host:port addresses), {@code version} (the
 * version marker the upgrade writes; the etcd binary stays the same), {@code running-version} (the marker the
 * running member read at its start) and {@code member.sh start|stop}, which runs etcd in the background with its data
 * in {@code data/}. A node without {@code data/} that is marked {@code incoming} starts with
 * {@code --initial-cluster-state existing} and the member list read from the old members (as its configuration
 * management would give it).
 */
final class EtcdLab implements AutoCloseable {
    static final Path ETCD = Path.of("/usr/bin/etcd");
    static final Path ETCDCTL = Path.of("/usr/bin/etcdctl");
    static final String DECOY_ENDPOINTS = "http://127.0.0.1:9";
    static final String FROM = "3.4.23-a";
    static final String TARGET = "3.4.23-b";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final EmbeddedSshCluster cluster;
    private final int members;
    private final Map<String, Integer> clientPorts = new LinkedHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(300)).build();

    static boolean installed() {
        return Files.isExecutable(ETCD) && Files.isExecutable(ETCDCTL);
    }

    static final String SKIPPED = "etcd tier skipped: etcd or etcdctl is missing (apt-get install etcd-server etcd-client)";

    private EtcdLab(Path base, int members, int incoming) throws IOException {
        this.members = members;
        int count = members + incoming;
        List<int[]> ports = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ports.add(new int[] {freePort(), freePort()});
        }
        // An operator's ETCDCTL_ENDPOINTS, pointing nowhere: the profile's commands must not trip over it.
        this.cluster = EmbeddedSshCluster.start(base, "e", count, b -> b.env("ETCDCTL_ENDPOINTS", DECOY_ENDPOINTS));
        try {
            StringBuilder initial = new StringBuilder();
            StringBuilder oldClients = new StringBuilder();
            for (int i = 0; i < members; i++) {
                initial.append(i == 0 ? "" : ",").append("e").append(i + 1).append("=http://127.0.0.1:").append(ports.get(i)[1]);
                oldClients.append(i == 0 ? "" : ",").append("http://127.0.0.1:").append(ports.get(i)[0]);
            }
            Files.writeString(base.resolve("old-members"), oldClients + "\n");
            for (int i = 0; i < count; i++) {
                EmbeddedSshNode node = cluster.nodes().get(i);
                clientPorts.put(node.name(), ports.get(i)[0]);
                Path dir = node.dir();
                Files.writeString(dir.resolve("client"), "127.0.0.1:" + ports.get(i)[0] + "\n");
                Files.writeString(dir.resolve("peer"), "127.0.0.1:" + ports.get(i)[1] + "\n");
                Files.writeString(dir.resolve("version"), (i < members ? FROM : TARGET) + "\n");
                Files.writeString(dir.resolve("initial-cluster"), initial + "\n");
                if (i >= members) {
                    Files.writeString(dir.resolve("incoming"), "");
                }
                Path script = dir.resolve("member.sh");
                Files.writeString(script, MEMBER_SH.replace("@NAME@", node.name()));
                Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        } catch (IOException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /**
     * start: idempotent; refuses with exit 4 when the node has a {@code broken-start} file (a member that cannot
     * rejoin). stop: SIGTERM, at most 10 s for etcd to hand over and exit, then SIGKILL.
     */
    private static final String MEMBER_SH = """
            #!/bin/sh
            # This node's etcd member: member.sh start|stop
            cd "$(dirname "$0")" || exit 1
            running() { [ -s etcd.pid ] && kill -0 "$(cat etcd.pid)" 2>/dev/null; }
            case "$1" in
            start)
              running && exit 0
              if [ -e broken-start ]; then echo "etcd of @NAME@ refuses to start: $(cat broken-start)" >&2; exit 4; fi
              state=new; cluster=$(cat initial-cluster)
              if [ -e incoming ] && [ ! -d data ]; then
                state=existing
                mine=http://$(cat peer)
                cluster=$(env -u ETCDCTL_ENDPOINTS etcdctl --endpoints="$(cat ../old-members)" member list -w simple \\
                  | awk -F', ' -v me=@NAME@ -v mine="$mine" '{ n = $3; if (n == "") { if ($4 != mine) next; n = me }
                      printf "%s%s=%s", sep, n, $4; sep = "," }')
              fi
              version=$(cat version)
              echo "$(date +%T.%N) start $version ($state)" >> member.log
              setsid sh -c 'echo $$ > etcd.pid; exec "$@"' etcd etcd --name @NAME@ --data-dir data \\
                --listen-client-urls http://$(cat client) --advertise-client-urls http://$(cat client) \\
                --listen-peer-urls http://$(cat peer) --initial-advertise-peer-urls http://$(cat peer) \\
                --initial-cluster "$cluster" --initial-cluster-state $state </dev/null >>etcd.log 2>&1 &
              for i in $(seq 50); do [ -s etcd.pid ] && break; sleep 0.1; done
              echo "$version" > running-version
              ;;
            stop)
              running || { rm -f etcd.pid; exit 0; }
              pid=$(cat etcd.pid)
              echo "$(date +%T.%N) stop" >> member.log
              kill -TERM "$pid"
              for i in $(seq 100); do kill -0 "$pid" 2>/dev/null || { rm -f etcd.pid; exit 0; }; sleep 0.1; done
              kill -KILL "$pid"; rm -f etcd.pid
              echo "etcd of @NAME@ did not stop in 10 s after SIGTERM; killed" >&2
              ;;
            *) echo "usage: member.sh start|stop" >&2; exit 2 ;;
            esac
            """;

    /** {@code members} members e1..eN (started, healthy) and {@code incoming} new nodes after them, not started. */
    static EtcdLab start(Path base, int members, int incoming) throws IOException, InterruptedException {
        EtcdLab lab = new EtcdLab(base, members, incoming);
        try {
            for (int i = 0; i < members; i++) {
                lab.sh(lab.cluster.nodes().get(i), "./member.sh start");
            }
            lab.awaitHealthy(lab.cluster.nodes().subList(0, members).stream().map(EmbeddedSshNode::name).toList(),
                    Duration.ofSeconds(20));
        } catch (IOException | InterruptedException | RuntimeException | AssertionError e) {
            lab.close();
            throw e;
        }
        return lab;
    }

    List<EmbeddedSshNode> nodes() {
        return cluster.nodes();
    }

    List<String> names() {
        return cluster.nodes().stream().map(EmbeddedSshNode::name).toList();
    }

    Path dir(String node) {
        return cluster.node(node).dir();
    }

    String read(String node, String file) {
        try {
            Path path = dir(node).resolve(file);
            return Files.exists(path) ? Files.readString(path).strip() : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String clientUrl(String node) {
        return "http://127.0.0.1:" + clientPorts.get(node);
    }

    /**
     * The raft profile's settings for this lab: the profile's own default commands with the addresses replaced by
     * the node's files ({@code $(cat client)} for {@code ${node.host}:2379}, the peer's file for the peer's address),
     * and start/stop by {@code member.sh}. Join, leave and the transfer run on the leader, whose {@code client} file
     * holds its own address.
     */
    static Map<String, String> settings() throws SpecException {
        Map<String, String> settings = new LinkedHashMap<>();
        Profiles.builtIn("raft").profile().settings().forEach((name, setting) -> settings.put(name, setting.defaultValue()
                .replace("${node.host}:2379", "$(cat client)")
                .replace("${peer.host}:2379", "$(cat ../${peer.name}/client)")
                .replace("${primary.host}:2379", "$(cat client)")
                .replace("http://${node.host}:2380", "http://$(cat ../${node.name}/peer)")));
        settings.put("startCommand", "./member.sh start");
        settings.put("stopCommand", "./member.sh stop");
        settings.put("rejoinSeconds", "20");
        return settings;
    }

    /** The cluster file: {@code profile: raft} with {@link #settings()}, every node, {@code extra} YAML appended. */
    String specYaml(String strategy, String extra) throws SpecException {
        StringBuilder y = new StringBuilder();
        y.append("name: etcd\ntargetVersion: ").append(TARGET).append("\n");
        y.append("ssh:\n  user: ").append(cluster.nodes().get(0).user()).append("\n  credentialsId: lab\n");
        y.append("  knownHosts:\n    text: |\n");
        for (String line : cluster.knownHosts().split("\n")) {
            y.append("      ").append(line).append("\n");
        }
        y.append("  connectTimeout: 3s\n  connectRetries: 0\n");
        y.append("profile:\n  name: raft\n  settings:\n");
        settings().forEach((k, v) -> y.append("    ").append(k).append(": ").append(quote(v)).append("\n"));
        y.append("nodes:\n");
        for (int i = 0; i < cluster.nodes().size(); i++) {
            EmbeddedSshNode node = cluster.nodes().get(i);
            y.append("  - name: ").append(node.name()).append("\n    host: ").append(node.host())
                    .append("\n    port: ").append(node.port()).append("\n");
            if (i >= members) {
                y.append("    membership: incoming\n");
            }
        }
        y.append("discovery:\n  version:\n    command: cat version\n");
        y.append("commands:\n  upgrade: echo ${targetVersion} > version\n");
        y.append("health:\n  interval: 200ms\n  timeout: 20s\n");
        y.append("policy:\n  strategy: ").append(strategy).append("\n");
        y.append(extra);
        return y.toString();
    }

    ClusterSpec spec(String strategy, String extra) throws SpecException {
        return io.haupgrade.spec.SpecLoader.parse(specYaml(strategy, extra), "etcd.yaml");
    }

    NodeSessions sessions(ClusterSpec spec) {
        byte[] key = cluster.clientKey().openSshPrivateKey(null);
        return new SshNodeSessions(spec, new SshConnector(new SecretMasker()),
                (id, user, node) -> new PrivateKeyCredential(user, key, null), (presented, where) -> { });
    }

    /** One member's view from {@code /v3/maintenance/status}: its id, the leader's id, the raft term. */
    record Status(String node, String memberId, String leaderId, long raftTerm) {
        boolean isLeader() {
            return memberId.equals(leaderId);
        }
    }

    /** The status of {@code node}'s member, empty when it does not answer within 300 ms. */
    Optional<Status> status(String node) {
        try {
            JsonNode body = post(node, "/v3/maintenance/status", "{}", Duration.ofMillis(300));
            if (body == null) {
                return Optional.empty();
            }
            return Optional.of(new Status(node, body.path("header").path("member_id").asText(),
                    body.path("leader").asText(), body.path("raftTerm").asLong()));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Every member that answers, in node order. */
    List<Status> statuses(List<String> nodes) {
        return nodes.stream().map(this::status).flatMap(Optional::stream).toList();
    }

    /** The highest raft term any of {@code nodes} reports. */
    long term(List<String> nodes) {
        return statuses(nodes).stream().mapToLong(Status::raftTerm).max()
                .orElseThrow(() -> new AssertionError("no member of " + nodes + " answers"));
    }

    /** The nodes whose member claims to be the leader. */
    List<String> leaders(List<String> nodes) {
        return statuses(nodes).stream().filter(Status::isLeader).map(Status::node).toList();
    }

    /** Writes key=value through {@code node}'s member (the v3 JSON gateway); true when the cluster committed it. */
    boolean put(String node, String key, String value, Duration timeout) throws InterruptedException {
        try {
            JsonNode body = post(node, "/v3/kv/put", "{\"key\":\"" + b64(key) + "\",\"value\":\"" + b64(value) + "\"}", timeout);
            return body != null && body.has("header");
        } catch (IOException e) {
            return false;
        }
    }

    /** The value of {@code key} read through {@code node}'s member (linearizable), null when absent. */
    String get(String node, String key) throws IOException, InterruptedException {
        JsonNode body = post(node, "/v3/kv/range", "{\"key\":\"" + b64(key) + "\"}", Duration.ofSeconds(2));
        if (body == null) {
            throw new IOException("member " + node + " refused the read of " + key);
        }
        JsonNode kvs = body.path("kvs");
        return kvs.isEmpty() ? null
                : new String(Base64.getDecoder().decode(kvs.get(0).path("value").asText()), StandardCharsets.UTF_8);
    }

    /** The member names of the cluster, as {@code node}'s member lists them. */
    List<String> memberNames(String node) throws IOException, InterruptedException {
        JsonNode body = post(node, "/v3/cluster/member/list", "{}", Duration.ofSeconds(2));
        if (body == null) {
            throw new IOException("member " + node + " refused the member list");
        }
        List<String> names = new ArrayList<>();
        body.path("members").forEach(m -> names.add(m.path("name").asText()));
        return names.stream().sorted().toList();
    }

    private JsonNode post(String node, String path, String json, Duration timeout) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(clientUrl(node) + path)).timeout(timeout)
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        return response.statusCode() == 200 ? JSON.readTree(response.body()) : null;
    }

    /** Waits until every one of {@code nodes} answers {@code etcdctl endpoint health}. */
    void awaitHealthy(List<String> nodes, Duration limit) throws IOException, InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        for (String node : nodes) {
            while (sh(cluster.node(node), "etcdctl --endpoints=$(cat client) endpoint health") != 0) {
                if (System.nanoTime() > end) {
                    throw new AssertionError("etcd member " + node + " not healthy within " + limit + "; etcd.log:\n"
                            + read(node, "etcd.log"));
                }
                Thread.sleep(100);
            }
        }
    }

    /** Runs {@code command} with /bin/sh in the node's directory with the node's environment; the exit code. */
    int sh(EmbeddedSshNode node, String command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", command).directory(node.dir().toFile())
                .redirectErrorStream(true).redirectOutput(node.dir().resolve("lab-sh.log").toFile());
        Process process = builder.start();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("'" + command + "' on " + node.name() + " did not finish in 20 s");
        }
        return process.exitValue();
    }

    /**
     * Kills every member still running and stops the SSH nodes. SIGKILL: the data is thrown away, and a member whose
     * peers are gone would spend seconds on SIGTERM trying to hand its leadership over.
     */
    @Override
    public void close() {
        List<ProcessHandle> running = new ArrayList<>();
        for (EmbeddedSshNode node : cluster.nodes()) {
            pid(node).flatMap(ProcessHandle::of).filter(p -> p.info().command().orElse("").endsWith("etcd"))
                    .ifPresent(running::add);
        }
        running.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle process : running) {
            try {
                process.onExit().get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException("etcd process " + process.pid() + " still runs 10 s after SIGKILL", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        cluster.close();
    }

    private static Optional<Long> pid(EmbeddedSshNode node) {
        try {
            Path file = node.dir().resolve("etcd.pid");
            String text = Files.exists(file) ? Files.readString(file).strip() : "";
            return text.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(text));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "''") + "'";
    }
}
