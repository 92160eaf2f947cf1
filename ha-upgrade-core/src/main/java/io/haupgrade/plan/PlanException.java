package io.haupgrade.plan;

/** The planner refuses a request: the message says what and why, the hint what to do instead. */
public class PlanException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String hint;

    public PlanException(String message, String hint) {
        super(message);
        this.hint = hint == null ? "" : hint;
    }

    /** What a person can do about it, e.g. the strategies that are safe; empty when there is nothing to add. */
    public String hint() {
        return hint;
    }

    /** Message and hint on one line each, for a terminal or a build log. */
    public String format() {
        return hint.isEmpty() ? getMessage() : getMessage() + "\nhint: " + hint;
    }
}
