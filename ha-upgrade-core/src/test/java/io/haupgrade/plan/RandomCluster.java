package io.haupgrade.plan;

import io.haupgrade.spec.ApprovalPoint;
import io.haupgrade.spec.ClusterSpec;
import io.haupgrade.spec.Phase;
import io.haupgrade.spec.Strategy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * A random cluster for the property tests: 1..12 members, at most one primary, maybe incoming nodes, random groups,
 * maxUnavailable, quorum, phases with commands, hooks and approvals. Built from a seed so a failure is reproducible.
 */
record RandomCluster(ClusterSpec spec, String description) {

    static RandomCluster of(int members, Strategy strategy, boolean quorum, long seed) {
        Random random = new Random(seed);
        TestCluster cluster = TestCluster.named("random-" + seed).strategy(strategy).quorum(quorum);
        StringBuilder about = new StringBuilder("members=" + members + " strategy=" + strategy + " quorum=" + quorum
                + " seed=" + seed);
        int primary = random.nextInt(members + 1) - 1;
        boolean roles = primary >= 0 || random.nextBoolean();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < members; i++) {
            String name = "n" + (i + 1);
            names.add(name);
            if (i == primary) {
                cluster.primary(name);
            } else if (roles) {
                cluster.standby(name);
            } else {
                cluster.plain(name);
            }
        }
        about.append(" primary=").append(primary < 0 ? "none" : names.get(primary));
        int incoming = random.nextInt(4);
        for (int i = 0; i < incoming; i++) {
            cluster.incoming("new" + (i + 1));
            names.add("new" + (i + 1));
        }
        int max = 1 + random.nextInt(members);
        cluster.maxUnavailable(max);
        about.append(" incoming=").append(incoming).append(" maxUnavailable=").append(max);
        int groups = random.nextInt(4);
        for (int g = 0; g < groups && names.size() >= 2; g++) {
            List<String> shuffled = new ArrayList<>(names);
            Collections.shuffle(shuffled, random);
            int size = 2 + random.nextInt(Math.min(3, names.size() - 1));
            List<String> picked = shuffled.subList(0, size);
            int groupMax = 1 + random.nextInt(size);
            cluster.group("g" + g, groupMax, picked.toArray(String[]::new));
            about.append(" group g").append(g).append(picked).append("max").append(groupMax);
        }
        cluster.commands(Phase.UPGRADE);
        if (random.nextBoolean()) {
            cluster.commands(Phase.FENCE, Phase.UNFENCE);
        }
        for (Phase optional : List.of(Phase.SNAPSHOT, Phase.REBOOT, Phase.VERIFY, Phase.SWITCHOVER, Phase.FAILBACK,
                Phase.JOIN, Phase.LEAVE)) {
            if (random.nextBoolean()) {
                cluster.commands(optional);
            }
        }
        if (random.nextBoolean()) {
            cluster.commands(Phase.STOP, Phase.START);
        }
        cluster.hooks(random.nextBoolean(), random.nextBoolean(), random.nextBoolean(), random.nextBoolean());
        List<ApprovalPoint> points = new ArrayList<>();
        for (ApprovalPoint point : ApprovalPoint.values()) {
            if (random.nextInt(3) == 0) {
                points.add(point);
            }
        }
        if (random.nextInt(4) > 0) {
            cluster.approvals(points.toArray(ApprovalPoint[]::new));
            about.append(" approvals=").append(points);
        } else {
            about.append(" approvals=strategy default");
        }
        if (random.nextBoolean()) {
            cluster.failback();
        }
        return new RandomCluster(cluster.build(), about.toString());
    }
}
