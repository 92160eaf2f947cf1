package io.haupgrade.lock;

/** Another run holds the cluster lock (or a node could not be locked); nothing was changed on any node. */
public class LockRefusedException extends Exception {
    private final String node;
    private final transient LockHolder holder;

    public LockRefusedException(String node, LockHolder holder, String message) {
        super(message);
        this.node = node;
        this.holder = holder;
    }

    public String node() {
        return node;
    }

    /** The run that holds the lock, or null when the node could not be reached or read. */
    public LockHolder holder() {
        return holder;
    }
}
