package io.haupgrade.ssh;

/** Hears about host keys trusted without being on record, so a person can see and check every one of them. */
@FunctionalInterface
public interface HostKeyListener {

    /** {@code presented} was accepted as new and recorded in {@code recordedIn}. */
    void acceptedNewKey(PresentedHostKey presented, String recordedIn);
}
