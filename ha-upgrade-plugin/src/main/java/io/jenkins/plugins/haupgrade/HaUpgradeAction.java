package io.jenkins.plugins.haupgrade;

import hudson.model.Job;
import hudson.model.Run;
import hudson.model.User;
import io.haupgrade.execute.Rollout;
import io.haupgrade.execute.RunEvent;
import io.haupgrade.journal.Journal;
import io.haupgrade.report.HtmlReport;
import io.haupgrade.report.ReportJson;
import io.haupgrade.report.ReportWriter;
import io.haupgrade.report.RunReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import jenkins.model.Jenkins;
import jenkins.model.RunAction2;
import org.jenkinsci.plugins.workflow.flow.FlowExecution;
import org.jenkinsci.plugins.workflow.flow.FlowExecutionOwner;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.HttpResponse;
import org.kohsuke.stapler.HttpResponses;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.StaplerResponse2;
import org.kohsuke.stapler.interceptor.RequirePOST;
import org.springframework.security.core.Authentication;

/**
 * The build's HA upgrade page ({@code <build>/ha-upgrade/}): every run of the build with its summary, the timeline,
 * links to the archived reports, and the approval a run waits for with Proceed / Abort (POST only, with the same
 * permission rules as the input step: the run's submitters, else Job/Build; abort also with Job/Cancel).
 */
public final class HaUpgradeAction implements RunAction2 {
    static final String URL_NAME = "ha-upgrade";

    // Copy-on-write: Jenkins saves the build (XStream walks this list) from threads that do not hold our lock.
    private final CopyOnWriteArrayList<RunRecord> runs = new CopyOnWriteArrayList<>();
    private transient Run<?, ?> run;

    /** The build's action, added on first use. */
    static synchronized HaUpgradeAction of(Run<?, ?> run) {
        HaUpgradeAction action = run.getAction(HaUpgradeAction.class);
        if (action == null) {
            action = new HaUpgradeAction();
            run.addAction(action);
        }
        return action;
    }

    @Override
    public void onAttached(Run<?, ?> r) {
        this.run = r;
    }

    @Override
    public void onLoad(Run<?, ?> r) {
        this.run = r;
    }

    public Run<?, ?> getRun() {
        return run;
    }

    @Override
    public String getIconFileName() {
        return "symbol-swap";
    }

    /** "Paused for Approval" while a run waits for a person, as the input step's "Paused for Input". */
    @Override
    public String getDisplayName() {
        return getRuns().stream().anyMatch(r -> r.getPending() != null) ? Messages.HaUpgradeAction_paused()
                : Messages.HaUpgradeAction_displayName();
    }

    @Override
    public String getUrlName() {
        return URL_NAME;
    }

    public List<RunRecord> getRuns() {
        return List.copyOf(runs);
    }

    synchronized RunRecord add(String runId, String cluster, String directory) throws IOException {
        RunRecord record = new RunRecord(runId, cluster, directory);
        runs.add(record);
        run.save();
        return record;
    }

    RunRecord record(String runId) {
        return find(runId).orElseThrow(() -> new IllegalStateException("no run " + runId + " in " + run));
    }

    private Optional<RunRecord> find(String runId) {
        return runs.stream().filter(r -> r.getRunId().equals(runId)).findFirst();
    }

    synchronized void save() throws IOException {
        run.save();
    }

    /** The report of a finished run, or null while it runs or when it was not written. */
    public ReportView getReport(RunRecord record) {
        Path file = directory(record).resolve(ReportWriter.JSON);
        return Files.exists(file) ? new ReportView(ReportJson.read(file)) : null;
    }

    Path directory(RunRecord record) {
        return run.getRootDir().toPath().resolve(record.getDirectory());
    }

    /** {@code GET <build>/ha-upgrade/timeline?run=ID}: the run's timeline as an SVG image. */
    public void doTimeline(StaplerRequest2 req, StaplerResponse2 rsp, @QueryParameter String run) throws IOException {
        RunReport report = reportOf(run, rsp);
        if (report != null) {
            serve(rsp, "image/svg+xml;charset=UTF-8", HtmlReport.timelineSvg(report));
        }
    }

    /**
     * {@code GET <build>/ha-upgrade/report?run=ID}: the run's HTML report, styled. The archived report.html is the
     * same page, but Jenkins serves artifacts under a CSP that drops its inline style; this one allows exactly that.
     */
    public void doReport(StaplerRequest2 req, StaplerResponse2 rsp, @QueryParameter String run) throws IOException {
        RunReport report = reportOf(run, rsp);
        if (report != null) {
            serve(rsp, "text/html;charset=UTF-8", HtmlReport.render(report));
        }
    }

    /** The report of the build's run {@code runId}; null after answering 404 when there is none (yet). */
    private RunReport reportOf(String runId, StaplerResponse2 rsp) throws IOException {
        this.run.checkPermission(Job.READ);
        RunRecord record = runId == null ? null : find(runId).orElse(null);
        if (record == null) {
            rsp.sendError(404, "no run " + runId + " in this build");
            return null;
        }
        Path file = directory(record).resolve(ReportWriter.JSON);
        if (!Files.exists(file)) {
            rsp.sendError(404, "no report for run " + record.getRunId() + " yet");
            return null;
        }
        return ReportJson.read(file);
    }

    private static void serve(StaplerResponse2 rsp, String contentType, String body) throws IOException {
        rsp.setContentType(contentType);
        rsp.setHeader("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; sandbox");
        rsp.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The answers to {@code pending} that the current user may give, for the page's buttons: a button that can
     * only be refused is not shown.
     */
    public List<String> answersFor(PendingApproval pending) {
        Authentication who = Jenkins.getAuthentication2();
        Admission admission = Admission.of(who, pending.getSubmitters(), run.getParent());
        return pending.getChoices().stream().filter(answer -> mayGive(answer, who, admission)).toList();
    }

    /** For the page of a user who may not answer: who may. */
    public String whoMayAnswer(PendingApproval pending) {
        return pending.getSubmitters().isEmpty() ? "users with Job/Build" : String.join(", ", pending.getSubmitters());
    }

    /** As the input step: a submitter (or, by its rules, an administrator) answers; Job/Cancel may also abort. */
    private boolean mayGive(String answer, Authentication who, Admission admission) {
        if (!answer.equals("abort")) {
            return admission.allowed();
        }
        return admission.allowed() || run.getParent().hasPermission2(who, Job.CANCEL);
    }

    /**
     * {@code <build>/ha-upgrade/approval/ID/}: the pending approval with that id, when it is answered here; an
     * approval this build asked for earlier answers 409 (a second person's click, a retried request), as documented.
     */
    public ApprovalView getApproval(String id) {
        for (RunRecord record : getRuns()) {
            PendingApproval pending = record.getPending();
            if (record.isAnsweredOnPage() && pending.getId().equals(id)) {
                return new ApprovalView(record, pending, pending.getRequestId());
            }
        }
        for (RunRecord record : getRuns()) {
            Optional<String> asked = askedApproval(record, id);
            if (asked.isPresent()) {
                return new ApprovalView(record, null, asked.get());
            }
        }
        return null;
    }

    /** The request id of the approval {@code pageId} that the run's journal shows was asked, if it was. */
    private Optional<String> askedApproval(RunRecord record, String pageId) {
        Path journal = directory(record).resolve(Rollout.JOURNAL);
        if (!Files.isRegularFile(journal)) {
            return Optional.empty();
        }
        try {
            return Journal.read(journal, RunEvent.class).stream()
                    .filter(RunEvent.ApprovalRequested.class::isInstance)
                    .map(e -> ((RunEvent.ApprovalRequested) e).request().id())
                    .filter(requestId -> PendingApproval.pageId(requestId).equals(pageId))
                    .findFirst();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * One approval's answers. Each is a POST; the checks are those of the input step. Refusals are plain HTTP errors
     * (400 not offered, 403 not allowed, 409 no longer pending) so that API clients can tell them apart.
     */
    public final class ApprovalView {
        private final RunRecord record;
        /** Null when the approval is no longer pending: every answer is then 409. */
        private final PendingApproval pending;
        private final String requestId;

        ApprovalView(RunRecord record, PendingApproval pending, String requestId) {
            this.record = record;
            this.pending = pending;
            this.requestId = requestId;
        }

        public PendingApproval getPending() {
            return pending;
        }

        @RequirePOST
        public HttpResponse doProceed(@QueryParameter String comment) throws IOException, InterruptedException {
            return answer("proceed", comment);
        }

        @RequirePOST
        public HttpResponse doRetry(@QueryParameter String comment) throws IOException, InterruptedException {
            return answer("retry", comment);
        }

        @RequirePOST
        public HttpResponse doSkip(@QueryParameter String comment) throws IOException, InterruptedException {
            return answer("skip", comment);
        }

        @RequirePOST
        public HttpResponse doAbort(@QueryParameter String comment) throws IOException, InterruptedException {
            return answer("abort", comment);
        }

        private HttpResponse answer(String answer, String comment) throws IOException, InterruptedException {
            if (pending == null) {
                throw HttpResponses.errorWithoutStack(409, Messages.Approval_gone(requestId));
            }
            if (!pending.getChoices().contains(answer)) {
                throw HttpResponses.errorWithoutStack(400, Messages.Approval_notOffered(answer, pending.getChoices()));
            }
            Authentication who = Jenkins.getAuthentication2();
            Admission admission = Admission.of(who, pending.getSubmitters(), run.getParent());
            if (!mayGive(answer, who, admission)) {
                throw HttpResponses.errorWithoutStack(403, pending.getSubmitters().isEmpty()
                        ? Messages.Approval_needBuild()
                        : Messages.Approval_needSubmitter(String.join(", ", pending.getSubmitters())));
            }
            String userId = who.getName();
            if (!answer.equals("abort") && pending.isRequireOtherApprover()
                    && User.idStrategy().equals(userId, pending.getStartedBy())) {
                throw HttpResponses.errorWithoutStack(403, Messages.Approval_otherApprover(userId));
            }
            HaUpgradeExecution execution = execution();
            if (execution == null) {
                throw HttpResponses.errorWithoutStack(409, Messages.Approval_gone(pending.getRequestId()));
            }
            execution.answer(record.getRunId(), pending.getId(), answer, userId, Admission.groups(who),
                    answer.equals("abort") ? null : admission.as(), comment);
            return HttpResponses.redirectTo("../../");
        }

        /** The paused step, found among the build's running steps. */
        private HaUpgradeExecution execution() throws IOException, InterruptedException {
            if (!(run instanceof FlowExecutionOwner.Executable executable)) {
                return null;
            }
            FlowExecutionOwner owner = executable.asFlowExecutionOwner();
            FlowExecution flow = owner == null ? null : owner.getOrNull();
            if (flow == null) {
                return null;
            }
            try {
                for (StepExecution e : flow.getCurrentExecutions(true).get(1, TimeUnit.MINUTES)) {
                    if (e instanceof HaUpgradeExecution h && h.waitsFor(record.getRunId(), pending.getId())) {
                        return h;
                    }
                }
            } catch (ExecutionException | TimeoutException e) {
                throw new IOException("cannot list the running steps of " + run, e);
            }
            return null;
        }
    }

    /** For messages: who a user id is. */
    static String displayName(String userId) {
        User user = userId == null ? null : User.getById(userId, false);
        return user == null ? String.valueOf(userId) : user.getDisplayName();
    }
}
