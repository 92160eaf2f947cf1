package io.haupgrade.plan;

import io.haupgrade.spec.ApprovalPoint;
import io.haupgrade.spec.ClusterSpec;
import io.haupgrade.spec.CommandSpec;
import io.haupgrade.spec.Membership;
import io.haupgrade.spec.NodeSpec;
import io.haupgrade.spec.Phase;
import io.haupgrade.spec.Role;
import io.haupgrade.spec.Strategy;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** The resolved inputs of one planning: strategy, versions, members, roles and what is done already. */
final class Rollout {
    final ClusterSpec spec;
    final Strategy strategy;
    final String target;
    final String current;
    /** Nodes in the cluster now, in spec order. */
    final List<String> members;
    /** New-version nodes that join in a replace rollout, in spec order. */
    final List<String> incoming;
    final Set<String> done;
    /** The primary now, or null. */
    final String primary;
    /** The failback target: the primary when the rollout started, or null. */
    final String originalPrimary;
    final Set<ApprovalPoint> approvals;
    final List<String> notes = new ArrayList<>();

    Rollout(PlanRequest request) throws PlanException {
        spec = request.spec();
        strategy = request.strategy() != null ? request.strategy() : spec.policy().strategy();
        target = firstNonBlank(request.targetVersion(), spec.targetVersion());
        if (target == null) {
            throw new PlanException("no target version for cluster " + spec.name(),
                    "write targetVersion in the spec, or pass --target-version");
        }
        current = firstNonBlank(request.currentVersion(), spec.currentVersion());
        members = names(spec, Membership.MEMBER);
        incoming = names(spec, Membership.INCOMING);
        requireKnown(request.roles().keySet(), "the known roles");
        requireKnown(request.alreadyUpgraded(), "the already upgraded nodes");
        if (request.originalPrimary() != null) {
            requireKnown(Set.of(request.originalPrimary()), "the original primary");
        }
        done = new LinkedHashSet<>();
        spec.nodes().stream().map(NodeSpec::name).filter(request.alreadyUpgraded()::contains)
                .filter(members::contains).forEach(done::add);
        String known = primaryOf(spec, request.roles());
        if (known == null && request.roles().isEmpty() && spec.discovery().role() != null && !members.isEmpty()) {
            // Planned before discovery (ha-upgrade plan): show the shape with a primary; the run plans again with
            // the roles it finds before every node.
            known = members.get(0);
            notes.add("roles are discovered at run time; this plan assumes " + known + " (the first node) is the "
                    + "primary, and the run plans again with the roles it finds");
        }
        primary = known;
        boolean incomingPrimary = primary != null && incoming.contains(primary);
        if (incomingPrimary && strategy != Strategy.REPLACE) {
            throw new PlanException("the primary " + primary + " is an incoming node; only the replace strategy "
                    + "uses incoming nodes", "check the node's membership, or plan with --strategy replace");
        }
        // A new node runs the target version before it joins, so "upgraded" proves nothing about an incoming node.
        // All of them have joined once an old node has left or one of them holds the primary role (a replace rollout
        // joins all before it moves the role and removes anyone); until then their joins are planned again, with the
        // same ids, which the journal skips when done.
        if (strategy == Strategy.REPLACE && (!done.isEmpty() || incomingPrimary)) {
            done.addAll(incoming);
        }
        if (request.originalPrimary() != null) {
            originalPrimary = request.originalPrimary();
        } else if (primary != null && !done.contains(primary)) {
            originalPrimary = primary;
        } else {
            originalPrimary = declaredPrimary(spec);
        }
        approvals = Set.copyOf(spec.policy().approvals().pointsFor(strategy));
    }

    List<String> pendingMembers() {
        return members.stream().filter(n -> !done.contains(n)).toList();
    }

    boolean primaryPending() {
        return primary != null && members.contains(primary) && !done.contains(primary);
    }

    boolean quorum() {
        return Boolean.TRUE.equals(spec.policy().quorum());
    }

    boolean anyCommands(List<String> nodes, Phase phase) {
        return nodes.stream().anyMatch(n -> !commands(n, phase).isEmpty());
    }

    List<CommandSpec> commands(String node, Phase phase) {
        return spec.commandsFor(spec.node(node), phase);
    }

    /** "standby lb2", "standbys lb2, lb3", "primary lb1", "nodes w1, w2", as a person would say it. */
    String who(List<String> nodes) {
        if (nodes.size() == 1) {
            return roleWord(nodes.get(0)) + " " + nodes.get(0);
        }
        Set<String> words = nodes.stream().map(this::roleWord).collect(Collectors.toSet());
        String word = words.size() == 1 ? words.iterator().next() + "s" : "nodes";
        return word + " " + String.join(", ", nodes);
    }

    private String roleWord(String node) {
        if (node.equals(primary)) {
            return "primary";
        }
        if (incoming.contains(node)) {
            return "incoming";
        }
        return primary != null ? "standby" : "node";
    }

    private void requireKnown(Set<String> names, String what) throws PlanException {
        Set<String> unknown = new LinkedHashSet<>(names);
        spec.nodes().forEach(n -> unknown.remove(n.name()));
        if (!unknown.isEmpty()) {
            throw new PlanException(what + " name nodes that are not in cluster " + spec.name() + ": "
                    + String.join(", ", unknown), "the nodes of the spec are " + spec.nodes().stream()
                    .map(NodeSpec::name).collect(Collectors.joining(", ")));
        }
    }

    /** Live roles win; a node they do not name keeps its declared role unless the live roles name a primary. */
    private static String primaryOf(ClusterSpec spec, Map<String, Role> live) throws PlanException {
        boolean livePrimary = live.containsValue(Role.PRIMARY);
        List<String> primaries = new ArrayList<>();
        for (NodeSpec node : spec.nodes()) {
            Role role = live.containsKey(node.name()) ? live.get(node.name()) : livePrimary ? null : node.role();
            if (role == Role.PRIMARY) {
                primaries.add(node.name());
            }
        }
        if (primaries.size() > 1) {
            throw new PlanException("cluster " + spec.name() + " has more than one primary: " + String.join(", ", primaries),
                    "two primaries need a person (split brain?); check the declared roles and discovery.role.primaryPattern");
        }
        return primaries.isEmpty() ? null : primaries.get(0);
    }

    private static String declaredPrimary(ClusterSpec spec) {
        return spec.nodes().stream().filter(n -> n.role() == Role.PRIMARY).map(NodeSpec::name).findFirst().orElse(null);
    }

    private static List<String> names(ClusterSpec spec, Membership membership) {
        return spec.nodes().stream().filter(n -> n.membership() == membership).map(NodeSpec::name).toList();
    }

    private static String firstNonBlank(String a, String b) {
        if (a != null && !a.isBlank()) {
            return a.trim();
        }
        return b != null && !b.isBlank() ? b.trim() : null;
    }
}
