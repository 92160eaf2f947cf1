package io.haupgrade.cli;

import io.haupgrade.embedded.DemoCluster;
import io.haupgrade.embedded.EmbeddedSshNode;

/**
 * The cluster file of {@code ha-upgrade demo}: an ordinary spec for the running {@link DemoCluster}, written to disk
 * and loaded like any user's file. Its commands change the nodes' files over SSH the way the real runbooks change a
 * keepalived pair: the role file is keepalived's state, {@code app/} the application.
 */
final class DemoSpec {
    static final String CLUSTER = "demo";
    static final String FROM = "1.0";
    static final String TARGET = "1.1";
    /** A file in a node's directory that makes its upgraded service fail to start ({@code --fail-on}). */
    static final String FAIL_FLAG = "fail-upgrade";

    private DemoSpec() {
    }

    /** A YAML double-quoted string: a directory may contain characters YAML reads otherwise (": ", " #"). */
    private static String quoted(String text) {
        return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    static String yaml(DemoCluster cluster) {
        StringBuilder y = new StringBuilder();
        y.append("""
                # The cluster of `ha-upgrade demo`: %d nodes on this machine (embedded SSH servers on 127.0.0.1), each
                # running a small versioned HTTP service from the files in its directory, behind a virtual IP that
                # forwards to the node whose `role` file says MASTER, as keepalived's VIP follows its master.
                # Written by the demo for the ports of this start; run it again with
                #   java -jar ha-upgrade.jar run %s --identity %s --yes
                # while the demo cluster runs (ha-upgrade demo --dir %s --serve).
                name: %s
                description: ha-upgrade demo, a keepalived-style MASTER/BACKUP cluster on one machine
                targetVersion: "%s"

                ssh:
                  user: %s
                  credentialsId: demo
                  knownHosts:
                    file: %s            # strict: written by the demo with the nodes' host keys
                  connectTimeout: 5s
                  connectRetries: 1

                nodes:
                """.formatted(cluster.nodes().size(), DemoCommand.word(cluster.dir().resolve(DemoCommand.CLUSTER_FILE)),
                DemoCommand.word(cluster.clientKeyFile()), DemoCommand.word(cluster.dir()), CLUSTER, TARGET, cluster.nodes().get(0).user(),
                quoted(cluster.knownHostsFile().toString())));
        for (EmbeddedSshNode node : cluster.nodes()) {
            y.append("  - name: ").append(node.name()).append('\n')
                    .append("    host: ").append(node.host()).append('\n')
                    .append("    port: ").append(node.port()).append('\n')
                    .append("    labels: {http: \"").append(cluster.service(node.name()).port()).append("\"}\n");
        }
        y.append("""

                discovery:
                  role:
                    command: cat role
                    primaryPattern: '^MASTER$'
                  version:
                    # The version the node serves, not the one on disk: an upgrade cut off after the install and
                    # before the start is not done, and a resumed run must run it again.
                    command: if [ "$(cat app/state)" = running ]; then cat app/version; fi

                commands:
                  snapshot:
                    run: rm -rf snapshot && cp -Rp app snapshot
                    description: copy the application directory
                  fence:
                    run: echo FAULT > role
                    description: keepalived FAULT state, the node cannot take the VIP
                  upgrade:
                    - run: echo stopped > app/state
                      description: stop the service
                    - run: echo ${targetVersion} > app/version && echo installed ${targetVersion}
                      description: install the new version
                    - run: echo starting > app/state; sleep 0.3; [ ! -e %1$s ] || { echo does not start >&2; exit 1; }; echo running > app/state
                      description: start the service (0.3 s warm-up); --fail-on makes it fail
                  unfence:
                    run: echo BACKUP > role
                    description: back to keepalived BACKUP, ready to take the VIP
                  switchover:
                    - run: echo MASTER > ../${peer.name}/role
                      description: promote the upgraded standby; the VIP follows the newest MASTER
                    - run: sleep 0.1; echo BACKUP > role
                      description: then step down, so the VIP is never without a MASTER
                  rollback:
                    run: cp -p snapshot/version app/version && echo running > app/state && echo restored $(cat app/version)
                    description: restore the application from the snapshot

                health:
                  interval: 100ms
                  timeout: 10s
                  node:
                    - name: service
                      http:
                        url: http://${node.host}:${node.label.http}/
                        timeout: 2s
                    - name: version
                      version: true
                  cluster:
                    - name: service through the VIP
                      http: %2$s

                probe:
                  url: %2$s
                  interval: 25ms
                  timeout: 1s
                  maxDowntime: 2s
                  backendHeader: X-Node
                  versionHeader: X-Version

                policy:
                  strategy: rolling
                  approvals:
                    at: [before-switchover]
                    timeout: 10m
                  onFailure: rollback
                  timeouts:
                    command: 30s
                    switchover: 20s
                    lock: 20m
                """.formatted(FAIL_FLAG, cluster.endpoint().url()));
        return y.toString();
    }
}
