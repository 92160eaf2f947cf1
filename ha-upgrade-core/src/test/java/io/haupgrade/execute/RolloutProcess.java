package io.haupgrade.execute;

import io.haupgrade.spec.ClusterSpec;
import io.haupgrade.spec.SpecLoader;
import io.haupgrade.ssh.PrivateKeyCredential;
import io.haupgrade.ssh.SecretMasker;
import io.haupgrade.ssh.SshConnector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/** A rollout in its own JVM, for the test that kills that JVM mid-phase: args spec, run dir, private key. */
public final class RolloutProcess {
    private RolloutProcess() {
    }

    public static void main(String[] args) throws Exception {
        ClusterSpec spec = SpecLoader.load(Path.of(args[0]));
        byte[] key = Files.readAllBytes(Path.of(args[2]));
        NodeSessions sessions = new SshNodeSessions(spec, new SshConnector(new SecretMasker()),
                (id, user, node) -> new PrivateKeyCredential(user, key, null), (k, where) -> { });
        RolloutRequest request = new RolloutRequest(spec, null, null, "run-child", Path.of(args[1]), "alice", "child",
                null, false);
        try (Rollout rollout = Rollout.start(request, new RolloutContext(sessions, RunListener.NONE, null))) {
            new RolloutRunner(rollout, Approvers.refuseAll("x", Clock.systemUTC()), Clock.systemUTC()).run();
        }
    }
}
