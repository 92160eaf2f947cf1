package io.haupgrade.cli;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C during a run: the first press asks the run to stop at a safe point (it then undoes fences while the SSH
 * sessions are still open, which a JVM shutdown hook could not promise); a second press exits at once.
 */
final class CtrlC implements AutoCloseable {
    private final SignalHandler previous;
    private volatile boolean pressed;

    private CtrlC(Runnable cancel) {
        SignalHandler old;
        try {
            old = Signal.handle(new Signal("INT"), signal -> {
                if (pressed) {
                    System.exit(ExitCodes.CANCELLED);
                }
                pressed = true;
                cancel.run();
            });
        } catch (IllegalArgumentException e) {
            old = null;
        }
        this.previous = old;
    }

    /** Whether Ctrl-C was pressed while installed: a cancellation by the person at the terminal. */
    boolean pressed() {
        return pressed;
    }

    static CtrlC install(Runnable cancel) {
        return new CtrlC(cancel);
    }

    @Override
    public void close() {
        if (previous != null) {
            Signal.handle(new Signal("INT"), previous);
        }
    }
}
