package io.haupgrade.cli;

/** The exit codes of {@code ha-upgrade}, documented in docs/cli.md. */
public final class ExitCodes {
    /** Done; for validate: the file is valid. */
    public static final int OK = 0;
    /** Something unexpected went wrong inside the tool. */
    public static final int FAILURE = 1;
    /** {@code run}: the run failed or was stopped (aborted, approval refused or timed out); {@code gate}: red. */
    public static final int RUN_FAILED = 1;
    /** A cluster file is invalid, or the command line is wrong (picocli's usage code). */
    public static final int INVALID = 2;
    /** The planner refuses the request: an unsafe strategy for the version jump, a cluster too small for it. */
    public static final int REFUSED = 3;
    /** {@code run}: cancelled with Ctrl-C; the run stopped at a safe point and undid what its policy allows. */
    public static final int CANCELLED = 130;

    private ExitCodes() {
    }
}
