package io.jenkins.plugins.haupgrade;

import hudson.model.Run;

/** Run ids that say where a run comes from and stay one shell word: {@code <cluster>-<job>-<build>[-<n>]}. */
final class RunIds {
    private RunIds() {
    }

    static String next(Run<?, ?> run, String cluster, HaUpgradeAction action) {
        String base = safe(cluster) + "-" + safe(run.getParent().getFullName()) + "-" + run.getNumber();
        long same = action.getRuns().stream().filter(r -> r.getRunId().equals(base)
                || r.getRunId().startsWith(base + "-")).count();
        return same == 0 ? base : base + "-" + (same + 1);
    }

    static String safe(String text) {
        return text.replaceAll("[^A-Za-z0-9_.]+", "_");
    }
}
