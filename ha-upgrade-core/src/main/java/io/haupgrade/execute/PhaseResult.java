package io.haupgrade.execute;

/** How the commands of one phase (or hook, or check) ended on one node. */
record PhaseResult(boolean ok, String detail, Integer exitCode, boolean timedOut, boolean unreachable,
        boolean cancelled) {

    static PhaseResult success(String detail) {
        return new PhaseResult(true, detail, null, false, false, false);
    }

    static PhaseResult failure(String detail, Integer exitCode, boolean timedOut) {
        return new PhaseResult(false, detail, exitCode, timedOut, false, false);
    }

    static PhaseResult unreachable(String detail) {
        return new PhaseResult(false, detail, null, false, true, false);
    }

    static PhaseResult cancelled(String detail) {
        return new PhaseResult(false, detail, null, false, false, true);
    }

    StepStatus status() {
        if (ok) {
            return StepStatus.SUCCEEDED;
        }
        if (cancelled) {
            return StepStatus.ABORTED;
        }
        return timedOut ? StepStatus.TIMED_OUT : StepStatus.FAILED;
    }
}
