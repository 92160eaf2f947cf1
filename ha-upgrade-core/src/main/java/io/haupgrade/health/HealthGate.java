package io.haupgrade.health;

import io.haupgrade.spec.ClusterSpec;
import io.haupgrade.spec.HealthCheckSpec;
import io.haupgrade.spec.Role;
import io.haupgrade.ssh.SshException;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The cluster health gate: all node checks on all nodes and the cluster checks, in parallel, plus the cluster
 * rules (exactly one primary, enough healthy nodes), repeated until green or the timeout. The rollout touches
 * no node while it is red; the pipeline step {@code clusterHealthGate} is this class alone.
 */
public final class HealthGate {
    public static final String DISCOVERY_CHECK = "discovery";

    private final ClusterSpec spec;
    private final NodeInspector inspector;
    private final ExecutorService executor;
    private final Clock clock;
    private final List<HealthCheck> nodeChecks = new ArrayList<>();
    private final List<HealthCheck> clusterChecks = new ArrayList<>();

    public HealthGate(ClusterSpec spec, NodeCommandRunner runner, Rendering rendering, ExecutorService executor,
            Clock clock) {
        this.spec = spec;
        this.inspector = new NodeInspector(spec, runner);
        this.executor = executor;
        this.clock = clock;
        Duration commandTimeout = spec.policy().timeouts().command().compareTo(spec.health().timeout()) < 0
                ? spec.policy().timeouts().command() : spec.health().timeout();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        for (HealthCheckSpec check : spec.health().node()) {
            toCheck(check, runner, rendering, http, commandTimeout).ifPresent(nodeChecks::add);
        }
        for (HealthCheckSpec check : spec.health().cluster()) {
            toCheck(check, runner, rendering, http, commandTimeout).ifPresent(clusterChecks::add);
        }
    }

    /** Attempts until green, the timeout, or {@code cancelled}; every attempt goes to {@code attempts}. */
    public GateResult awaitHealthy(GateScope scope, Duration interval, Duration timeout, Consumer<GateResult> attempts,
            BooleanSupplier cancelled) throws InterruptedException {
        Instant deadline = clock.instant().plus(timeout);
        int attempt = 0;
        while (true) {
            GateResult result = checkOnce(scope, ++attempt);
            attempts.accept(result);
            if (result.healthy() || cancelled.getAsBoolean() || !clock.instant().plus(interval).isBefore(deadline)) {
                return result;
            }
            Thread.sleep(interval.toMillis());
        }
    }

    /** One attempt: roles and versions first (the checks need the primary), then every check in parallel. */
    public GateResult checkOnce(GateScope scope, int attempt) throws InterruptedException {
        Instant start = clock.instant();
        List<String> members = scope.members();
        List<CheckResult> results = new ArrayList<>();
        Map<String, Role> roles = new HashMap<>();
        Map<String, String> versions = new HashMap<>();
        List<Callable<List<CheckResult>>> discovery = new ArrayList<>();
        for (String node : members) {
            discovery.add(() -> discover(node, roles, versions, scope));
        }
        for (List<CheckResult> r : all(discovery)) {
            results.addAll(r);
        }
        ClusterView view = new ClusterView(roles, versions);

        List<Callable<List<CheckResult>>> tasks = new ArrayList<>();
        VersionCheck versionCheck = new VersionCheck(scope.expectedVersions());
        for (String node : members) {
            if (scope.fenced().contains(node)) {
                continue;
            }
            tasks.add(() -> {
                List<CheckResult> nodeResults = new ArrayList<>();
                for (HealthCheck check : nodeChecks) {
                    nodeResults.add(check.check(node, view));
                }
                if (scope.expectedVersions().containsKey(node) && inspector.discoversVersions()) {
                    nodeResults.add(versionCheck.check(node, view));
                }
                return nodeResults;
            });
        }
        for (HealthCheck check : scope.clusterChecks() ? clusterChecks : List.<HealthCheck>of()) {
            tasks.add(() -> List.of(check.check(null, view)));
        }
        for (List<CheckResult> r : all(tasks)) {
            results.addAll(r);
        }

        List<String> problems = clusterProblems(scope, view, results);
        boolean healthy = problems.isEmpty() && results.stream().allMatch(CheckResult::passed);
        return new GateResult(healthy, attempt, start, Duration.between(start, clock.instant()), roles, versions,
                results, problems);
    }

    private List<CheckResult> discover(String node, Map<String, Role> roles, Map<String, String> versions,
            GateScope scope) {
        List<CheckResult> out = new ArrayList<>();
        Instant start = clock.instant();
        try {
            Optional<Role> role = inspector.role(node);
            role.ifPresent(r -> {
                synchronized (roles) {
                    roles.put(node, r);
                }
            });
            if (inspector.discoversVersions()) {
                Optional<String> version = inspector.version(node);
                version.ifPresent(v -> {
                    synchronized (versions) {
                        versions.put(node, v);
                    }
                });
            }
        } catch (SshException e) {
            if (!scope.fenced().contains(node)) {
                out.add(CheckResult.fail(node, DISCOVERY_CHECK, "unreachable: " + e.getMessage(),
                        Duration.between(start, clock.instant())));
            }
        } catch (NodeInspector.InspectionException e) {
            if (!scope.fenced().contains(node)) {
                out.add(CheckResult.fail(node, DISCOVERY_CHECK, e.getMessage(), Duration.between(start, clock.instant())));
            }
        }
        return out;
    }

    private List<String> clusterProblems(GateScope scope, ClusterView view, List<CheckResult> results) {
        List<String> problems = new ArrayList<>();
        if (!scope.clusterChecks()) {
            return problems;
        }
        Boolean onePrimaryWanted = spec.health().exactlyOnePrimary();
        boolean onePrimary = onePrimaryWanted != null ? onePrimaryWanted : inspector.discoversRoles();
        if (onePrimary && inspector.discoversRoles()) {
            List<String> primaries = view.roles().entrySet().stream().filter(e -> e.getValue() == Role.PRIMARY)
                    .map(Map.Entry::getKey).sorted().toList();
            if (primaries.size() != 1) {
                problems.add(primaries.isEmpty() ? "no primary" : primaries.size() + " primaries: " + primaries);
            }
        }
        List<String> unfenced = scope.members().stream().filter(n -> !scope.fenced().contains(n)).toList();
        long healthyNodes = unfenced.stream()
                .filter(n -> results.stream().filter(r -> n.equals(r.node())).allMatch(CheckResult::passed)).count();
        int needed = spec.health().minHealthyNodes() != null ? spec.health().minHealthyNodes() : unfenced.size();
        if (healthyNodes < needed) {
            problems.add("healthy nodes " + healthyNodes + " of " + needed + " needed");
        }
        return problems;
    }

    private <T> List<T> all(List<Callable<T>> tasks) throws InterruptedException {
        List<Future<T>> futures = executor.invokeAll(tasks);
        List<T> out = new ArrayList<>(futures.size());
        for (Future<T> f : futures) {
            try {
                out.add(f.get());
            } catch (ExecutionException e) {
                throw new GateException("a health check crashed: " + e.getCause(), e.getCause());
            }
        }
        return out;
    }

    private static Optional<HealthCheck> toCheck(HealthCheckSpec check, NodeCommandRunner runner, Rendering rendering,
            HttpClient http, Duration timeout) {
        if (check.command() != null) {
            return Optional.of(new CommandCheck(check.name(), check.command(), timeout, runner));
        }
        if (check.http() != null) {
            return Optional.of(new HttpCheck(check.name(), check.http(), rendering, http));
        }
        if (check.tcp() != null) {
            return Optional.of(new TcpCheck(check.name(), check.tcp(), rendering));
        }
        // "version: true" is the gate's own version check, added for upgraded nodes.
        return Optional.empty();
    }

    /** A check threw instead of returning a result: a bug, reported with the check's failure. */
    public static final class GateException extends RuntimeException {
        public GateException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
