package io.jenkins.plugins.haupgrade;

import hudson.model.TaskListener;
import io.haupgrade.execute.ClusterGate;
import io.haupgrade.execute.SshNodeSessions;
import io.haupgrade.health.CheckResult;
import io.haupgrade.health.GateResult;
import io.haupgrade.spec.ClusterSpec;
import io.haupgrade.spec.SpecOverrides;
import io.haupgrade.ssh.SecretMasker;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jenkins.security.MasterToSlaveCallable;

/**
 * {@code clusterHealthGate} on the agent: every health check on every member and the cluster rules, repeated
 * until green or the timeout. Changes nothing on the cluster, so it may simply run again after a restart.
 */
final class GateCallable extends MasterToSlaveCallable<LinkedHashMap<String, Object>, IOException> {
    private static final long serialVersionUID = 1L;

    private final UpgradeSettings settings;
    private final String specText;
    private final AgentCredentials credentials;
    private final String timeout;
    private final String interval;
    private final TaskListener listener;

    GateCallable(UpgradeSettings settings, String specText, AgentCredentials credentials, String timeout,
            String interval, TaskListener listener) {
        this.settings = settings;
        this.specText = specText;
        this.credentials = credentials;
        this.timeout = timeout;
        this.interval = interval;
        this.listener = listener;
    }

    @Override
    public LinkedHashMap<String, Object> call() throws IOException {
        PrintStream log = listener.getLogger();
        try {
            return check(log);
        } finally {
            log.flush(); // before the answer: see AgentCall
        }
    }

    private LinkedHashMap<String, Object> check(PrintStream log) throws IOException {
        ClusterSpec spec = credentials.specOnAgent(settings, specText);
        SecretMasker masker = new SecretMasker();
        credentials.registerWith(masker);
        Duration limit = timeout == null ? null : SpecOverrides.duration("timeout", timeout);
        Duration every = interval == null ? null : SpecOverrides.duration("interval", interval);
        SshNodeSessions sessions = credentials.sessions(spec, masker, log);
        try (ClusterGate gate = new ClusterGate(spec, sessions, Clock.systemUTC())) {
            GateResult result = gate.await(every, limit, attempt -> {
                if (!attempt.healthy()) {
                    log.println(masker.mask("[ha-upgrade] gate attempt " + attempt.attempt() + ": "
                            + attempt.summary()));
                }
            }, () -> Thread.currentThread().isInterrupted());
            log.println(masker.mask("[ha-upgrade] " + spec.name() + ": " + (result.healthy() ? "healthy"
                    : "NOT healthy") + " - " + result.summary()));
            return toMap(spec.name(), result, masker);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("health gate of " + spec.name() + " interrupted", e);
        }
    }

    /** What {@code clusterHealthGate} returns: plain maps and lists, usable in a sandboxed Pipeline. */
    static LinkedHashMap<String, Object> toMap(String cluster, GateResult result, SecretMasker masker) {
        LinkedHashMap<String, Object> map = new LinkedHashMap<>();
        map.put("cluster", cluster);
        map.put("healthy", result.healthy());
        map.put("attempts", result.attempt());
        map.put("summary", masker.mask(result.summary()));
        map.put("problems", new ArrayList<>(result.problems().stream().map(masker::mask).toList()));
        Map<String, Object> nodes = new LinkedHashMap<>();
        for (Map.Entry<String, List<CheckResult>> e : result.byNode().entrySet()) {
            Map<String, Object> node = new LinkedHashMap<>();
            node.put("role", result.roles().get(e.getKey()) == null ? null
                    : SpecOverrides.kebab(result.roles().get(e.getKey())));
            node.put("version", result.versions().get(e.getKey()));
            List<Object> checks = new ArrayList<>();
            for (CheckResult c : e.getValue()) {
                Map<String, Object> check = new LinkedHashMap<>();
                check.put("check", c.check());
                check.put("passed", c.passed());
                check.put("output", masker.mask(c.output()));
                checks.add(check);
            }
            node.put("checks", checks);
            nodes.put(e.getKey(), node);
        }
        map.put("nodes", nodes);
        return map;
    }
}
