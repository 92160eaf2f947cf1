package io.jenkins.plugins.haupgrade;

import hudson.AbortException;
import hudson.FilePath;
import java.io.IOException;

/** Reads the cluster file a step names: inline text as it is, a path relative to the workspace. */
final class ClusterFile {
    private ClusterFile() {
    }

    static String read(UpgradeSettings settings, FilePath workspace) throws IOException, InterruptedException {
        return read(settings.cluster(), workspace);
    }

    static String read(String cluster, FilePath workspace) throws IOException, InterruptedException {
        if (cluster == null || cluster.isBlank()) {
            throw new AbortException(Messages.ClusterFile_missing());
        }
        if (UpgradeSettings.isInline(cluster)) {
            return cluster;
        }
        if (workspace == null) {
            throw new AbortException(Messages.ClusterFile_noWorkspace(cluster.strip()));
        }
        FilePath file = workspace.child(cluster.strip());
        if (!file.exists()) {
            throw new AbortException(Messages.ClusterFile_notFound(cluster.strip(), workspace.getRemote()));
        }
        return file.readToString();
    }
}
