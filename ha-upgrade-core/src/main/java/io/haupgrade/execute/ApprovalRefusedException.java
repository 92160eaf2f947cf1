package io.haupgrade.execute;

/** An answer that cannot be accepted: no such request pending, a choice not offered, or an approver not allowed. */
public class ApprovalRefusedException extends Exception {
    public ApprovalRefusedException(String message) {
        super(message);
    }
}
