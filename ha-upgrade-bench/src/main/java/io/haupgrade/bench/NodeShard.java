package io.haupgrade.bench;

import io.haupgrade.embedded.EmbeddedSshNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A process holding a slice of {@link SshBench}'s nodes, as real nodes are separate machines: a JVM that hosts
 * all 500 servers has about 3,000 open descriptors, and the JDK closes every one of them in each child process it
 * starts, which made each command's process cost 15 ms of system time instead of 2.6 ms.
 *
 * <p>Arguments: {@code <base dir> <name prefix> <first number> <count> <authorized_keys line>}. Prints
 * {@code node <name> <port> <known_hosts line>} per node, then {@code ready}; stops its nodes and exits when its
 * standard input ends.
 */
public final class NodeShard {
    private NodeShard() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 5) {
            throw new IllegalArgumentException("usage: NodeShard <base dir> <name prefix> <first number> <count> "
                    + "<authorized_keys line>");
        }
        Path baseDir = Path.of(args[0]);
        int first = Integer.parseInt(args[2]);
        int count = Integer.parseInt(args[3]);
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        List<EmbeddedSshNode> nodes = new ArrayList<>(count);
        try {
            for (int i = first; i < first + count; i++) {
                String name = args[1] + i;
                EmbeddedSshNode node = EmbeddedSshNode.builder(name, baseDir.resolve(name)).authorizedKey(args[4])
                        .start();
                nodes.add(node);
                out.println("node " + name + " " + node.port() + " " + node.knownHostsLine());
            }
            out.println("ready");
            InputStream in = System.in;
            while (in.read() >= 0) {
                // Nothing is sent; the benchmark closes the pipe when it is done with these nodes.
            }
        } finally {
            nodes.forEach(EmbeddedSshNode::close);
        }
    }
}
