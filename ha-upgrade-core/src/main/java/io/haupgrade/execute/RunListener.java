package io.haupgrade.execute;

/** Receives a run's events as they happen, on the thread that runs the step (gate attempts on pool threads). */
@FunctionalInterface
public interface RunListener {
    RunListener NONE = event -> { };

    void on(RunEvent event);

    /** This listener, then {@code next}. */
    default RunListener andThen(RunListener next) {
        return event -> {
            on(event);
            next.on(event);
        };
    }
}
