package io.haupgrade.cli;

import io.haupgrade.execute.NodeSessions;
import io.haupgrade.execute.SshNodeSessions;
import io.haupgrade.spec.ClusterSpec;
import io.haupgrade.ssh.SecretMasker;
import io.haupgrade.ssh.SshConnector;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** The credential options shared by {@code run} and {@code gate}; secrets only through files and named variables. */
final class SshOptions {
    @Option(names = "--identity", paramLabel = "FILE", description = "Private key file for every node "
            + "(unless --credentials names one for the node's credentialsId).")
    Path identity;

    @Option(names = "--credentials", paramLabel = "ID=FILE", description = "Private key file for the spec's "
            + "credentialsId ID; repeatable.")
    Map<String, Path> credentials = new LinkedHashMap<>();

    @Option(names = "--passphrase-env", paramLabel = "VAR", description = "Name of the environment variable that "
            + "holds the key's passphrase (never the passphrase itself).")
    String passphraseEnv;

    @Option(names = "--password-env", paramLabel = "VAR", description = "Name of the environment variable that "
            + "holds the SSH password, for nodes without a key.")
    String passwordEnv;

    NodeSessions sessions(ClusterSpec spec, PrintWriter out) {
        CliCredentials resolver = new CliCredentials(credentials, identity, passphraseEnv, passwordEnv, System.getenv());
        return new SshNodeSessions(spec, new SshConnector(new SecretMasker()), resolver,
                (presented, where) -> out.println("WARNING: trusted a new host key of " + presented + " and recorded "
                        + "it in " + where + " (ssh.knownHosts.acceptNew)"));
    }
}
