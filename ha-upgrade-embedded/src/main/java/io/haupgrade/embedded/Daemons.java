package io.haupgrade.embedded;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Daemon threads with names that say whose they are, so a forgotten close never keeps a JVM alive. */
final class Daemons {

    private Daemons() {
    }

    static ThreadFactory named(String name) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, name + " #" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
