package io.haupgrade.execute;

import io.haupgrade.spec.ClusterSpec;
import io.haupgrade.spec.Strategy;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A new run: what to upgrade, to which version, by whom, and where its journal and report go.
 *
 * @param strategy      null means the spec's policy.strategy
 * @param targetVersion null means the spec's targetVersion (one of them must be set)
 * @param runDir        the run's own directory (journal.jsonl, report.json); created if missing, must be empty
 * @param startedBy     the person or job starting the run; recorded, and compared with approvers
 * @param host          the machine the run is driven from, for the lock's owner file
 * @param lockPath      the lock directory on each node; null means {@link io.haupgrade.lock.ClusterLock#defaultPath}
 * @param breakLock     take the lock even if another run holds it (documented forced break)
 */
public record RolloutRequest(ClusterSpec spec, Strategy strategy, String targetVersion, String runId, Path runDir,
        String startedBy, String host, String lockPath, boolean breakLock) {

    public RolloutRequest {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(runDir, "runDir");
        Objects.requireNonNull(startedBy, "startedBy");
        strategy = strategy == null ? spec.policy().strategy() : strategy;
        targetVersion = targetVersion == null ? spec.targetVersion() : targetVersion;
        host = host == null ? "unknown-host" : host;
    }
}
