package io.haupgrade.spec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Checks what a bound spec means: names that must be unique or must exist, the commands a strategy needs,
 * policies that cannot work, variables that have no value, checks that cannot run. Finds every problem, not
 * only the first; each error is placed where the offending value was written.
 */
public final class SpecValidator {
    /** The built-in profiles (io/haupgrade/profile/NAME.yaml). Profiles are looked up here and nowhere else. */
    public static final List<String> AVAILABLE_PROFILES =
            List.of(ProfileRef.GENERIC, "keepalived", "pacemaker", "kubernetes", "raft");
    /** The words {@code on:} understands besides a node name. */
    public static final List<String> ON_TARGETS = List.of("self", "primary", "peer", "others", "all");

    private static final Pattern FINGERPRINT = Pattern.compile("SHA256:[A-Za-z0-9+/]{43}=?");
    private static final Pattern DOTTED_VERSION = Pattern.compile("[0-9]+(\\.[0-9]+)*");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern TCP_URL = Pattern.compile("tcp://([^:/\\[\\]]+|\\[[0-9A-Fa-f:.]+]):([0-9]{1,5})/?");

    private final ClusterSpec spec;
    private final SpecLocations locations;
    private final List<SpecError> errors = new ArrayList<>();
    private final List<NodeSpec> members;
    private final List<NodeSpec> incoming;
    private final boolean primaryPossible;

    SpecValidator(ClusterSpec spec, SpecLocations locations) {
        this.spec = spec;
        this.locations = locations;
        this.members = spec.nodes().stream().filter(n -> n.membership() == Membership.MEMBER).toList();
        this.incoming = spec.nodes().stream().filter(n -> n.membership() == Membership.INCOMING).toList();
        this.primaryPossible = spec.discovery().role() != null
                || spec.nodes().stream().anyMatch(n -> n.role() == Role.PRIMARY);
    }

    /**
     * Checks a spec built in code (not read from a file), e.g. after a strategy was chosen on the command line; the
     * errors carry paths but no line numbers. Required fields left null are reported before anything else.
     */
    public static List<SpecError> validate(ClusterSpec spec) {
        String source = "<" + spec.name() + ">";
        List<SpecError> missing = new ArrayList<>();
        findMissing(spec, "", source, missing);
        return missing.isEmpty() ? new SpecValidator(spec, new SpecLocations(source)).check() : List.copyOf(missing);
    }

    /** Null @Required components anywhere in {@code value}, which the loader never lets through but code could. */
    private static void findMissing(Object value, String path, String source, List<SpecError> missing) {
        if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                findMissing(list.get(i), path + "[" + i + "]", source, missing);
            }
        } else if (value instanceof Record record) {
            java.lang.reflect.RecordComponent[] components = record.getClass().getRecordComponents();
            List<SpecModel.FieldModel> fields = SpecModel.record(record.getClass()).fields();
            for (int i = 0; i < components.length; i++) {
                String child = path.isEmpty() ? fields.get(i).name() : path + "." + fields.get(i).name();
                Object component;
                try {
                    component = components[i].getAccessor().invoke(record);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("cannot read " + child + " of a spec record", e);
                }
                if (component == null && fields.get(i).required()) {
                    missing.add(new SpecError(source, 0, 0, child, "missing required key '" + fields.get(i).name() + "'", ""));
                }
                findMissing(component, child, source, missing);
            }
        }
    }

    /**
     * The spec with the version to upgrade to: the command line's when given (it wins), else the file's.
     *
     * @throws SpecException when neither gives one
     */
    public static ClusterSpec requireTargetVersion(ClusterSpec spec, String fromCommandLine, String source)
            throws SpecException {
        if (fromCommandLine != null && !fromCommandLine.isBlank()) {
            return spec.withTargetVersion(fromCommandLine.strip());
        }
        if (spec.targetVersion() != null && !spec.targetVersion().isBlank()) {
            return spec;
        }
        throw new SpecException(List.of(new SpecError(source, 0, 0, "targetVersion",
                "no target version: the file does not say which version to upgrade to",
                "write 'targetVersion: <version>' in the cluster file or pass --target-version <version>")));
    }

    List<SpecError> check() {
        checkCluster();
        checkNodes();
        checkGroups();
        checkSsh();
        checkCompatibility();
        checkPolicy();
        checkStrategyCommands();
        checkCommands();
        checkHealth();
        checkDiscovery();
        checkProbe();
        return List.copyOf(errors);
    }

    private void checkCluster() {
        if (spec.name().isBlank()) {
            error("name", "the cluster name is empty", "name the cluster; the name names the run, journal and lock");
        }
        if (spec.targetVersion() != null && spec.targetVersion().isBlank()) {
            error("targetVersion", "the target version is empty", "write the version or leave the key out");
        }
        String profile = spec.profile().name();
        if (!AVAILABLE_PROFILES.contains(profile) && !spec.profile().isFile()) {
            error("profile.name", "profile '" + profile + "' is not available; available: "
                    + String.join(", ", AVAILABLE_PROFILES),
                    DidYouMean.hint(profile, AVAILABLE_PROFILES) + "or name a profile file of your own, e.g. ./profiles/"
                            + profile + ".yaml");
        }
        for (String name : spec.variables().keySet()) {
            if (!ENV_NAME.matcher(name).matches()) {
                error("variables." + name, "variable name '" + name + "' is not a plain name",
                        "use letters, digits and '_', starting with a letter, so that ${var." + name + "} is unambiguous");
            }
        }
    }

    private void checkNodes() {
        if (spec.nodes().isEmpty()) {
            error("nodes", "the cluster has no nodes", "list the nodes under 'nodes:', each with a name and a host");
        }
        Map<String, Integer> firstByName = new HashMap<>();
        String primary = null;
        int primaryIndex = -1;
        for (int i = 0; i < spec.nodes().size(); i++) {
            NodeSpec node = spec.nodes().get(i);
            String path = "nodes[" + i + "]";
            Integer first = firstByName.putIfAbsent(node.name(), i);
            if (first != null) {
                error(path + ".name", "duplicate node name '" + node.name() + "' (first " + where("nodes[" + first + "].name") + ")",
                        "node names must be unique: commands, groups and reports name nodes by them");
            }
            if (ON_TARGETS.contains(node.name())) {
                error(path + ".name", "node name '" + node.name() + "' is a reserved word of 'on'",
                        "rename the node; " + String.join(", ", ON_TARGETS) + " have a meaning in 'on:'");
            }
            if (node.host().isBlank()) {
                error(path + ".host", "the host of node '" + node.name() + "' is empty", "write its address or DNS name");
            }
            checkPort(path + ".port", node.port());
            checkFingerprint(path + ".hostKey", node.hostKey());
            if (node.role() == Role.PRIMARY) {
                if (primary != null) {
                    error(path + ".role", "more than one node declared primary: '" + primary + "' ("
                                    + where("nodes[" + primaryIndex + "].role") + ") and '" + node.name() + "'",
                            "declare one primary and the others standby, or leave roles out and set discovery.role");
                } else {
                    primary = node.name();
                    primaryIndex = i;
                }
            }
            if (node.membership() == Membership.INCOMING && strategy() != Strategy.REPLACE) {
                error(path + ".membership", "node '" + node.name() + "' is incoming, which only a replace rollout uses",
                        "set policy.strategy: replace, or remove the node until it is a member");
            }
        }
    }

    private void checkSsh() {
        SshSettings ssh = spec.ssh();
        checkPort("ssh.port", ssh.port());
        if (ssh.parallelism() < 1) {
            error("ssh.parallelism", "parallelism must be at least 1, got " + ssh.parallelism(), "");
        }
        if (ssh.connectRetries() < 0) {
            error("ssh.connectRetries", "connectRetries cannot be negative", "0 tries once");
        }
        // Host keys are always checked: a knownHosts without a source would have nothing to check against.
        if (ssh.knownHosts().file() == null && ssh.knownHosts().text() == null) {
            error("ssh.knownHosts", "knownHosts names neither a file nor text to check host keys against",
                    "write file: ~/.ssh/known_hosts, or the known_hosts lines under text:");
        }
        checkPositive("ssh.connectTimeout", ssh.connectTimeout());
        checkPositive("ssh.keepAlive", ssh.keepAlive());
        if (ssh.jumpHost() != null) {
            checkPort("ssh.jumpHost.port", ssh.jumpHost().port());
            checkFingerprint("ssh.jumpHost.hostKey", ssh.jumpHost().hostKey());
        }
    }

    private void checkFingerprint(String path, String fingerprint) {
        if (fingerprint != null && !FINGERPRINT.matcher(fingerprint).matches()) {
            error(path, "'" + fingerprint + "' is not a SHA256 host key fingerprint",
                    "write it as ssh-keygen -lf shows it: SHA256: and 43 base64 characters");
        }
    }

    private void checkCompatibility() {
        Compatibility compatibility = spec.compatibility();
        if (compatibility.minimumMixedVersion() != null
                && !DOTTED_VERSION.matcher(compatibility.minimumMixedVersion()).matches()) {
            error("compatibility.minimumMixedVersion", "'" + compatibility.minimumMixedVersion()
                    + "' is not a dotted version", "write numbers separated by dots, e.g. 6.0");
        }
        for (int i = 0; i < compatibility.rules().size(); i++) {
            CompatibilityRule rule = compatibility.rules().get(i);
            if (rule.from() != null && !DOTTED_VERSION.matcher(rule.from()).matches()) {
                error("compatibility.rules[" + i + "].from", "'" + rule.from() + "' is not a dotted version",
                        "write numbers separated by dots, e.g. 5.4");
            }
            if (rule.strategies().isEmpty()) {
                error("compatibility.rules[" + i + "].strategies", "a rule with no strategy forbids every upgrade of this kind",
                        "list the strategies that are safe for a " + SpecModel.kebab(rule.jump()) + " jump");
            }
        }
    }

    private void checkGroups() {
        List<String> names = nodeNames();
        Map<String, Integer> firstByName = new HashMap<>();
        for (int g = 0; g < spec.groups().size(); g++) {
            NodeGroup group = spec.groups().get(g);
            Integer first = firstByName.putIfAbsent(group.name(), g);
            if (first != null) {
                error("groups[" + g + "].name", "duplicate group name '" + group.name() + "' (first "
                        + where("groups[" + first + "].name") + ")", "group names must be unique");
            }
            Set<String> seen = new java.util.HashSet<>();
            for (int m = 0; m < group.members().size(); m++) {
                String member = group.members().get(m);
                if (!seen.add(member)) {
                    error("groups[" + g + "].members[" + m + "]", "'" + member + "' is listed twice in group '"
                            + group.name() + "'", "list each member once");
                } else if (!names.contains(member)) {
                    error("groups[" + g + "].members[" + m + "]", "'" + member + "' is not a node",
                            DidYouMean.hint(member, names) + "nodes: " + String.join(", ", names));
                }
            }
            if (group.maxUnavailable() < 1) {
                error("groups[" + g + "].maxUnavailable", "maxUnavailable must be at least 1, got " + group.maxUnavailable(),
                        "a group that allows no member down can never be upgraded");
            }
        }
    }

    private void checkPolicy() {
        UpgradePolicy policy = spec.policy();
        int max = policy.maxUnavailable();
        String path = "policy.maxUnavailable";
        if (max < 1) {
            error(path, "maxUnavailable must be at least 1, got " + max, "1 upgrades one node at a time");
        } else if (strategy() != Strategy.FULL_STOP) {
            int available = strategy() == Strategy.REPLACE ? members.size() + incoming.size() : members.size();
            if (available > 0 && max >= available) {
                error(path, "maxUnavailable " + max + " would take down all " + available + " nodes at once",
                        "at most " + (available - 1) + " for strategy " + SpecModel.kebab(strategy())
                                + "; use strategy full-stop to stop everything on purpose");
            } else if (Boolean.TRUE.equals(policy.quorum()) && inPlace() && 2 * (members.size() - max) <= members.size()) {
                int allowed = (members.size() - 1) / 2;
                error(path, "maxUnavailable " + max + " leaves " + (members.size() - max) + " of " + members.size()
                                + " members up, not a strict majority (policy.quorum is true)",
                        allowed < 1
                                ? "a quorum stack of " + members.size() + " members cannot lose one; add a member, or set "
                                        + "quorum: false if the stack keeps quorum with half its members (corosync two_node)"
                                : "at most " + allowed + " with " + members.size() + " members");
            }
        }
        Timeouts timeouts = policy.timeouts();
        checkPositive("policy.timeouts.command", timeouts.command());
        checkPositive("policy.timeouts.fence", timeouts.fence());
        checkPositive("policy.timeouts.switchover", timeouts.switchover());
        checkPositive("policy.timeouts.reboot", timeouts.reboot());
        checkPositive("policy.timeouts.lock", timeouts.lock());
        checkPositive("policy.approvals.timeout", policy.approvals().timeout());
        boolean asksPeople = !policy.approvals().pointsFor(strategy()).isEmpty()
                || policy.onFailure() == FailureAction.PAUSE;
        if (asksPeople && timeouts.lock().compareTo(policy.approvals().timeout()) <= 0
                && policy.approvals().timeout().compareTo(java.time.Duration.ZERO) > 0) {
            error("policy.timeouts.lock", "the cluster lock expires after " + human(timeouts.lock())
                            + ", no later than an approval may wait (policy.approvals.timeout "
                            + human(policy.approvals().timeout()) + "); nothing renews the lock while the run waits "
                            + "for a person, so another run could take the cluster over",
                    "set policy.timeouts.lock above " + human(policy.approvals().timeout()) + ", e.g. "
                            + human(policy.approvals().timeout().multipliedBy(2)));
        }
        if (policy.retries() < 0) {
            error("policy.retries", "retries cannot be negative, got " + policy.retries(), "0 runs each command once");
        }
        Integer minHealthy = spec.health().minHealthyNodes();
        if (minHealthy != null && (minHealthy < 1 || minHealthy > spec.nodes().size())) {
            error("health.minHealthyNodes", "minHealthyNodes must be between 1 and the number of nodes ("
                    + spec.nodes().size() + "), got " + minHealthy, "");
        }
    }

    private void checkStrategyCommands() {
        Strategy strategy = strategy();
        String name = SpecModel.kebab(strategy);
        switch (strategy) {
            case ROLLING, CANARY, ACTIVE_PASSIVE -> {
                requirePhase(Phase.UPGRADE, members, "strategy " + name + " needs upgrade commands");
                if (members.size() > 1 && primaryPossible) {
                    requirePhase(Phase.SWITCHOVER, switchoverNodes(), "strategy " + name
                            + " needs switchover commands: the primary is handed over before it is upgraded");
                }
            }
            case REPLACE -> {
                if (incoming.isEmpty()) {
                    error("nodes", "strategy replace needs at least one node with 'membership: incoming'",
                            "add the new-version nodes with membership: incoming; they join, then the old nodes leave");
                }
                requirePhase(Phase.JOIN, incoming, "strategy replace needs join commands for the incoming nodes");
                requirePhase(Phase.LEAVE, members, "strategy replace needs leave commands for the old nodes");
            }
            case FULL_STOP -> {
                requirePhase(Phase.STOP, members, "strategy full-stop needs stop commands");
                requirePhase(Phase.UPGRADE, members, "strategy full-stop needs upgrade commands");
                requirePhase(Phase.START, members, "strategy full-stop needs start commands");
            }
        }
        if (spec.policy().failback()) {
            requirePhase(Phase.FAILBACK, primaryPossible ? switchoverNodes() : members,
                    "policy.failback is true, which needs failback commands");
        }
    }

    /** The nodes that may be primary when their turn comes: all members with discovery, else the declared one. */
    private List<NodeSpec> switchoverNodes() {
        return spec.discovery().role() != null ? members
                : members.stream().filter(n -> n.role() == Role.PRIMARY).toList();
    }

    private void requirePhase(Phase phase, List<NodeSpec> nodes, String message) {
        String key = phaseKey(phase);
        List<NodeSpec> missing = nodes.stream().filter(n -> spec.commandsFor(n, phase).isEmpty()).toList();
        if (missing.isEmpty()) {
            return;
        }
        if (missing.size() == nodes.size() && spec.commands().of(phase).isEmpty()) {
            error("commands." + key, message, "write commands." + key + " (for every node), or "
                    + key + " under each node's commands");
            return;
        }
        for (NodeSpec node : missing) {
            error("nodes[" + spec.nodes().indexOf(node) + "].commands." + key,
                    message + "; node '" + node.name() + "' has none",
                    "write " + key + " under the commands of node '" + node.name() + "' or in commands." + key);
        }
    }

    /** Where each command, check and URL is used, and which variables have values there. */
    private record Scope(boolean node, boolean peer, List<NodeSpec> nodes) {
        static final Scope CLUSTER = new Scope(false, false, List.of());
    }

    private void checkCommands() {
        List<NodeSpec> all = spec.nodes();
        for (Phase phase : Phase.values()) {
            List<NodeSpec> users = all.stream().filter(n -> n.commands().of(phase).isEmpty()).toList();
            checkCommandList("commands." + phaseKey(phase), spec.commands().of(phase), new Scope(true, hasPeer(phase), users));
        }
        for (int i = 0; i < all.size(); i++) {
            NodeSpec node = all.get(i);
            for (Phase phase : Phase.values()) {
                checkCommandList("nodes[" + i + "].commands." + phaseKey(phase), node.commands().of(phase),
                        new Scope(true, hasPeer(phase), List.of(node)));
            }
        }
        Hooks hooks = spec.hooks();
        checkCommandList("hooks.beforeAll", hooks.beforeAll(), Scope.CLUSTER);
        checkCommandList("hooks.afterAll", hooks.afterAll(), Scope.CLUSTER);
        checkCommandList("hooks.beforeNode", hooks.beforeNode(), new Scope(true, false, all));
        checkCommandList("hooks.afterNode", hooks.afterNode(), new Scope(true, false, all));
    }

    private void checkCommandList(String path, List<CommandSpec> commands, Scope scope) {
        for (int i = 0; i < commands.size(); i++) {
            checkCommand(path + "[" + i + "]", commands.get(i), scope);
        }
    }

    private void checkCommand(String path, CommandSpec command, Scope scope) {
        checkText(path + ".run", command.run(), scope);
        checkOn(path + ".on", command.on(), scope);
        command.env().forEach((name, value) -> {
            if (!ENV_NAME.matcher(name).matches()) {
                error(path + ".env." + name, "'" + name + "' is not a valid environment variable name",
                        "use letters, digits and '_', not starting with a digit");
            }
            checkText(path + ".env." + name, value, scope);
        });
        if (command.workdir() != null) {
            checkText(path + ".workdir", command.workdir(), scope);
        }
        if (command.timeout() != null && command.timeout().isZero()) {
            error(path + ".timeout", "a command timeout of 0 would kill every command at once", "");
        }
        if (command.retries() != null && command.retries() < 0) {
            error(path + ".retries", "retries cannot be negative, got " + command.retries(), "");
        }
    }

    private void checkOn(String path, String on, Scope scope) {
        if (CommandSpec.ON_PEER.equals(on) && !scope.peer()) {
            error(path, "'on: peer' has no node here: the peer is the other side of a switchover or failback",
                    "use peer only in switchover and failback commands; elsewhere write self, primary, others, all, "
                            + "or a node name");
            return;
        }
        if (ON_TARGETS.contains(on) || nodeNames().contains(on)) {
            return;
        }
        List<String> targets = new ArrayList<>(ON_TARGETS);
        targets.addAll(nodeNames());
        error(path, "unknown target '" + on + "'", DidYouMean.hint(on, targets)
                + "write self, primary, peer (switchover, failback), others, all, or a node name ("
                + String.join(", ", nodeNames()) + ")");
    }

    private void checkHealth() {
        Health health = spec.health();
        for (int i = 0; i < health.node().size(); i++) {
            checkHealthCheck("health.node[" + i + "]", health.node().get(i), new Scope(true, false, spec.nodes()));
        }
        for (int i = 0; i < health.cluster().size(); i++) {
            HealthCheckSpec check = health.cluster().get(i);
            checkHealthCheck("health.cluster[" + i + "]", check, Scope.CLUSTER);
            if (check.version()) {
                error("health.cluster[" + i + "].version", "a version check is about one node; it cannot be a cluster check",
                        "move it to health.node");
            }
        }
        if (Boolean.TRUE.equals(health.exactlyOnePrimary()) && spec.discovery().role() == null) {
            error("health.exactlyOnePrimary", "exactlyOnePrimary needs discovery.role to find the primary",
                    "add discovery.role (a command and the pattern of a primary's output), or remove exactlyOnePrimary");
        }
        checkPositive("health.interval", health.interval());
        checkPositive("health.timeout", health.timeout());
    }

    private void checkHealthCheck(String path, HealthCheckSpec check, Scope scope) {
        List<String> kinds = new ArrayList<>();
        if (check.command() != null) {
            kinds.add("command");
        }
        if (check.http() != null) {
            kinds.add("http");
        }
        if (check.tcp() != null) {
            kinds.add("tcp");
        }
        if (check.version()) {
            kinds.add("version");
        }
        if (kinds.isEmpty()) {
            error(path, "health check '" + check.name() + "' checks nothing",
                    "write exactly one of command, http, tcp, version");
        } else if (kinds.size() > 1) {
            error(path, "health check '" + check.name() + "' has " + String.join(" and ", kinds),
                    "write exactly one of command, http, tcp, version; split it into " + kinds.size() + " checks");
        }
        if (check.command() != null) {
            CommandCheckSpec command = check.command();
            checkText(path + ".command.run", command.run(), scope);
            if ("all".equals(command.on()) || "others".equals(command.on())) {
                error(path + ".command.on", "a health check runs on one node, not on '" + command.on() + "'",
                        "node checks already run on every node: move it under health.node, or write self, primary"
                                + " or a node name");
            } else if (command.on() != null) {
                checkOn(path + ".command.on", command.on(), scope);
            }
            checkRegex(path + ".command.outputMatches", command.outputMatches());
            checkRegex(path + ".command.outputExcludes", command.outputExcludes());
        }
        if (check.http() != null) {
            HttpCheckSpec http = check.http();
            checkText(path + ".http.url", http.url(), scope);
            String url = http.url().strip().toLowerCase(Locale.ROOT);
            if (!url.startsWith("http://") && !url.startsWith("https://")) {
                error(path + ".http.url", "URL '" + http.url() + "' is not http:// or https://",
                        "write e.g. http://${node.host}:8080/health; use a tcp check for other protocols");
            }
            checkRegex(path + ".http.bodyMatches", http.bodyMatches());
            http.headers().forEach((header, value) -> {
                checkText(path + ".http.headers", header, scope);
                checkText(path + ".http.headers." + header, value, scope);
            });
            checkPositive(path + ".http.timeout", http.timeout());
        }
        if (check.tcp() != null) {
            checkText(path + ".tcp.host", check.tcp().host(), scope);
            checkPort(path + ".tcp.port", check.tcp().port());
            checkPositive(path + ".tcp.timeout", check.tcp().timeout());
        }
        if (check.version() && spec.discovery().version() == null) {
            error(path + ".version", "a version check needs discovery.version",
                    "add discovery.version with a command that prints the node's version");
        }
    }

    private void checkDiscovery() {
        Scope everyNode = new Scope(true, false, spec.nodes());
        RoleDetection role = spec.discovery().role();
        if (role != null) {
            checkCommand("discovery.role.command", role.command(), everyNode);
            checkRegex("discovery.role.primaryPattern", role.primaryPattern());
        }
        VersionDetection version = spec.discovery().version();
        if (version != null) {
            checkCommand("discovery.version.command", version.command(), everyNode);
            checkRegex("discovery.version.pattern", version.pattern());
        }
    }

    private void checkProbe() {
        ServiceProbe probe = spec.probe();
        if (probe == null) {
            return;
        }
        checkText("probe.url", probe.url(), Scope.CLUSTER);
        String url = probe.url().strip();
        String lower = url.toLowerCase(Locale.ROOT);
        boolean ok = lower.startsWith("http://") || lower.startsWith("https://")
                || (lower.startsWith("tcp://") && (url.contains("${") || TCP_URL.matcher(url).matches()));
        if (!ok) {
            error("probe.url", "probe URL '" + url + "' is not http://, https:// or tcp://host:port",
                    "write e.g. http://198.51.100.10/ or tcp://198.51.100.10:5432");
        }
        checkPositive("probe.interval", probe.interval());
        checkPositive("probe.timeout", probe.timeout());
    }

    /** Every ${...} in {@code text} must be a variable that has a value where the text is used. */
    private void checkText(String path, String text, Scope scope) {
        Template template;
        try {
            template = Template.parse(text);
        } catch (TemplateException e) {
            error(path, e.getMessage(), "");
            return;
        }
        for (String name : template.variables()) {
            checkVariable(path, name, scope);
        }
    }

    private void checkVariable(String path, String name, Scope scope) {
        String ref = "${" + name + "}";
        if (!Template.isKnown(name)) {
            error(path, "unknown variable " + ref, hintFor(name) + "to pass " + ref + " to the shell, write $" + ref);
        } else if (name.startsWith("node.") && !scope.node()) {
            error(path, ref + " has no value here: this runs once for the cluster, not for a node",
                    "use ${primary.name} or ${cluster.name}, or move the command to hooks.beforeNode or hooks.afterNode");
        } else if (name.startsWith(Template.LABEL_PREFIX)) {
            String key = name.substring(Template.LABEL_PREFIX.length());
            List<String> without = scope.nodes().stream().filter(n -> !n.labels().containsKey(key)).map(NodeSpec::name).toList();
            if (!without.isEmpty()) {
                error(path, ref + " has no value for " + (without.size() == 1 ? "node " : "nodes ")
                                + String.join(", ", without) + ": no label '" + key + "'",
                        hintFor(name) + "add 'labels: {" + key + ": ...}' to " + (without.size() == 1 ? "that node" : "those nodes"));
            }
        } else if (name.equals("node.role") && spec.discovery().role() == null
                && scope.nodes().stream().anyMatch(n -> n.role() == null)) {
            error(path, ref + " has no value for nodes without a declared role: "
                            + String.join(", ", scope.nodes().stream().filter(n -> n.role() == null).map(NodeSpec::name).toList()),
                    "declare role: on every node, or add discovery.role");
        } else if (name.equals("node.user") && spec.ssh().user() == null
                && scope.nodes().stream().anyMatch(n -> n.user() == null)) {
            error(path, ref + " has no value: neither ssh.user nor the user of every node is set",
                    "write ssh.user, or user: on each node");
        } else if (name.startsWith(Template.SETTING_PREFIX)) {
            checkSetting(path, name, scope);
        } else if (name.startsWith(Template.VAR_PREFIX)) {
            if (!spec.variables().containsKey(name.substring(Template.VAR_PREFIX.length()))) {
                error(path, "unknown variable " + ref, hintFor(name) + "declare it under 'variables:'");
            }
        } else if (name.startsWith("peer.") && !scope.peer()) {
            error(path, ref + " has no value here: the peer is the other side of a switchover or failback",
                    "use " + ref + " only in commands.switchover and commands.failback");
        } else if (name.startsWith("primary.") && !primaryPossible) {
            error(path, ref + " has no value: no node is declared primary and discovery.role is not set",
                    "declare 'role: primary' on one node or add discovery.role");
        } else if (name.equals("currentVersion") && spec.currentVersion() == null && spec.discovery().version() == null) {
            error(path, ref + " has no value: neither currentVersion nor discovery.version is set",
                    "write currentVersion, or add discovery.version to read it from the nodes");
        }
    }

    /**
     * A setting of the profile: it must exist, and the variables its value uses must have values where the setting is
     * used (a setting's value is a template, substituted when the command runs).
     */
    private void checkSetting(String path, String name, Scope scope) {
        String key = name.substring(Template.SETTING_PREFIX.length());
        String value = spec.profile().settings().get(key);
        if (value == null) {
            List<String> known = List.copyOf(spec.profile().settings().keySet());
            error(path, "unknown setting ${" + name + "}: profile " + spec.profile().name() + " has "
                            + (known.isEmpty() ? "no settings" : "the settings " + String.join(", ", known)),
                    hintFor(name) + "declare the setting in the profile, or use a variable of this file");
            return;
        }
        Template template;
        try {
            template = Template.parse(value);
        } catch (TemplateException e) {
            error(path, "setting " + key + ": " + e.getMessage(), "");
            return;
        }
        for (String inner : template.variables()) {
            if (inner.startsWith(Template.SETTING_PREFIX)) {
                error(path, "setting " + key + " uses ${" + inner + "}: a setting's value cannot use another setting",
                        "write the value out");
            } else {
                checkVariable(path, inner, scope);
            }
        }
    }

    /** {@code did you mean ${x}? } against every variable this spec has. */
    private String hintFor(String name) {
        Set<String> candidates = new LinkedHashSet<>(Template.NAMES);
        spec.variables().keySet().forEach(v -> candidates.add(Template.VAR_PREFIX + v));
        spec.profile().settings().keySet().forEach(v -> candidates.add(Template.SETTING_PREFIX + v));
        spec.nodes().forEach(n -> n.labels().keySet().forEach(k -> candidates.add(Template.LABEL_PREFIX + k)));
        candidates.remove(name);
        return DidYouMean.closest(name, candidates).map(c -> "did you mean ${" + c + "}? ").orElse("");
    }

    private void checkRegex(String path, String regex) {
        if (regex == null) {
            return;
        }
        if (regex.contains("${")) {
            error(path, "regular expressions take no ${...} variables: '" + regex + "'",
                    "match the value in the command instead, e.g. run: ... | grep -qw ${node.name}");
            return;
        }
        try {
            Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            error(path, "bad regular expression '" + regex + "': " + e.getDescription()
                            + (e.getIndex() >= 0 ? " near index " + e.getIndex() : ""),
                    "it is a Java regular expression (no ${...} variables); put a backslash before a character meant literally");
        }
    }

    private void checkPort(String path, Integer port) {
        if (port != null && (port < 1 || port > 65535)) {
            error(path, "port " + port + " is not between 1 and 65535", "");
        }
    }

    /** 1h30m rather than PT1H30M, as a spec writes it. */
    private static String human(java.time.Duration duration) {
        return duration.toString().substring(2).toLowerCase(Locale.ROOT);
    }

    private void checkPositive(String path, java.time.Duration duration) {
        if (duration != null && (duration.isZero() || duration.isNegative())) {
            error(path, "must be longer than 0", "write e.g. 5s");
        }
    }

    private Strategy strategy() {
        return spec.policy().strategy();
    }

    private boolean inPlace() {
        return strategy() == Strategy.ROLLING || strategy() == Strategy.CANARY || strategy() == Strategy.ACTIVE_PASSIVE;
    }

    private static boolean hasPeer(Phase phase) {
        return phase == Phase.SWITCHOVER || phase == Phase.FAILBACK;
    }

    private static String phaseKey(Phase phase) {
        return phase.name().toLowerCase(Locale.ROOT);
    }

    private List<String> nodeNames() {
        return spec.nodes().stream().map(NodeSpec::name).distinct().toList();
    }

    /** "at line 8", or the path when the spec was not read from a file. */
    private String where(String path) {
        return locations.describe(path);
    }

    private void error(String path, String message, String hint) {
        errors.add(locations.error(path, message, hint));
    }
}
