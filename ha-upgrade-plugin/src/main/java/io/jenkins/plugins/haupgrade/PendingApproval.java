package io.jenkins.plugins.haupgrade;

import io.haupgrade.execute.ApprovalDecision;
import io.haupgrade.execute.ApprovalRequest;
import io.haupgrade.spec.SpecOverrides;
import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What the build page and the console show of an approval the run waits for: the engine's request as plain text
 * (it is saved with the build and the Pipeline program, so it holds nothing but text and no secret).
 */
public final class PendingApproval implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String requestId;
    private final String point;
    private final String message;
    private final ArrayList<String> choices;
    private final ArrayList<String> submitters;
    private final String startedBy;
    private final boolean requireOtherApprover;
    private final long deadline;
    private final ArrayList<String> evidence;

    private PendingApproval(ApprovalRequest request) {
        this.requestId = request.id();
        this.point = request.point();
        this.message = request.message();
        this.choices = request.choices().stream().map(SpecOverrides::kebab)
                .collect(Collectors.toCollection(ArrayList::new));
        this.submitters = new ArrayList<>(request.submitters());
        this.startedBy = request.startedBy();
        this.requireOtherApprover = request.requireOtherApprover();
        this.deadline = request.deadline().toEpochMilli();
        this.evidence = evidence(request.evidence());
    }

    static PendingApproval of(ApprovalRequest request) {
        return new PendingApproval(request);
    }

    private static ArrayList<String> evidence(ApprovalRequest.Evidence e) {
        ArrayList<String> lines = new ArrayList<>();
        if (e == null) {
            return lines;
        }
        lines.add("versions: " + e.versions());
        lines.add("roles: " + e.roles());
        lines.add("out of service: " + (e.fenced().isEmpty() ? "none" : String.join(", ", e.fenced())));
        if (e.lastGate() != null) {
            lines.add("last gate: " + (e.lastGate().healthy() ? "healthy" : "NOT healthy") + " - "
                    + e.lastGate().summary());
        }
        if (e.downtimeSoFar() != null) {
            lines.add("service downtime so far: " + e.downtimeSoFar().toMillis() / 1000.0 + " s");
        }
        return lines;
    }

    /** The engine's id of the request (answers name it). */
    public String getRequestId() {
        return requestId;
    }

    /** The request id made safe for a URL path segment (the engine's ids hold ':' and '#'). */
    public String getId() {
        return pageId(requestId);
    }

    /** The id of an approval in URLs: the engine's request id with only URL-safe characters. */
    static String pageId(String requestId) {
        return requestId.replaceAll("[^A-Za-z0-9_.-]", "-");
    }

    public String getPoint() {
        return point;
    }

    public String getMessage() {
        return message;
    }

    public List<String> getChoices() {
        return choices;
    }

    public List<String> getSubmitters() {
        return submitters;
    }

    public String getStartedBy() {
        return startedBy;
    }

    public boolean isRequireOtherApprover() {
        return requireOtherApprover;
    }

    public Instant getDeadline() {
        return Instant.ofEpochMilli(deadline);
    }

    public List<String> getEvidence() {
        return evidence;
    }

    static ApprovalDecision.Answer answer(String text) {
        return ApprovalDecision.Answer.valueOf(text.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
