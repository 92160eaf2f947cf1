package io.haupgrade.spec;

/** What happens when nobody answers an approval in time; never confused with a person's abort. */
@Doc("What happens when nobody answers an approval within its timeout.")
public enum TimeoutAction {
    @Doc("Treat the silence as an abort (recorded as a timeout, not as a person's decision).")
    ABORT,
    @Doc("Go on as if approved (recorded as a timeout).")
    PROCEED
}
