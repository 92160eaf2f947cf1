package io.haupgrade.ssh;

/** What a task did on one node of many: a value, or the SSH failure that stopped it there. */
public record NodeOutcome<T>(String node, T value, SshException failure) {

    public boolean succeeded() {
        return failure == null;
    }
}
