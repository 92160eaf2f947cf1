package io.jenkins.plugins.haupgrade;

import io.haupgrade.spec.ClusterSpec;
import io.haupgrade.spec.SpecError;
import io.haupgrade.spec.SpecException;
import io.haupgrade.spec.SpecLoader;
import io.haupgrade.spec.SpecOverrides;
import io.haupgrade.spec.SpecValidator;
import java.io.Serializable;
import java.util.List;

/**
 * The one mapping from what a user wrote in a step or a freestyle build step to the spec a run sees. Both
 * {@link HaUpgradeStep} and {@link HaUpgradeBuilder} build one of these and nothing else; it holds only text, no
 * secret (credentials are referenced by id), so it may be saved with the Pipeline program and sent to the agent.
 */
public final class UpgradeSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String cluster;
    private final String strategy;
    private final String credentialsId;
    private final String knownHostsCredentialsId;
    private final String targetVersion;
    private final String approvals;
    private final String submitter;
    private final String onFailure;
    private final String timeout;
    private final boolean dryRun;
    private final boolean resume;

    UpgradeSettings(String cluster, String strategy, String credentialsId, String knownHostsCredentialsId,
            String targetVersion, String approvals, String submitter, String onFailure, String timeout, boolean dryRun,
            boolean resume) {
        this.cluster = cluster;
        this.strategy = strategy;
        this.credentialsId = credentialsId;
        this.knownHostsCredentialsId = knownHostsCredentialsId;
        this.targetVersion = targetVersion;
        this.approvals = approvals;
        this.submitter = submitter;
        this.onFailure = onFailure;
        this.timeout = timeout;
        this.dryRun = dryRun;
        this.resume = resume;
    }

    /** A path in the workspace, or the cluster file itself written inline (it has more than one line). */
    public String cluster() {
        return cluster;
    }

    public boolean inlineCluster() {
        return isInline(cluster);
    }

    static boolean isInline(String cluster) {
        return cluster != null && cluster.strip().contains("\n");
    }

    public String credentialsId() {
        return credentialsId;
    }

    public String knownHostsCredentialsId() {
        return knownHostsCredentialsId;
    }

    public boolean dryRun() {
        return dryRun;
    }

    public boolean resume() {
        return resume;
    }

    /**
     * The overrides the fields ask for.
     *
     * @throws IllegalArgumentException naming the field and what is accepted
     */
    public SpecOverrides overrides() {
        return SpecOverrides.parse(strategy, targetVersion, onFailure, approvals, submitter, timeout);
    }

    /**
     * The spec this run works with: {@code text} read and validated, the step's overrides applied and the result
     * validated again (another strategy may need commands the file lacks).
     *
     * @throws SpecException with every error, each naming file, line and field
     * @throws IllegalArgumentException for a bad override
     */
    public ClusterSpec spec(String text, String source) throws SpecException {
        ClusterSpec spec = overrides().applyTo(SpecLoader.parse(text, source));
        List<SpecError> errors = SpecValidator.validate(spec);
        if (!errors.isEmpty()) {
            throw new SpecException(errors);
        }
        return spec;
    }

    /** Where the cluster file comes from, for messages: its workspace path, or "inline". */
    public String source() {
        return inlineCluster() ? "inline cluster spec" : cluster.strip();
    }
}
