package io.haupgrade.cli;

import io.haupgrade.execute.ApprovalDecision;
import io.haupgrade.execute.ApprovalDecision.Answer;
import io.haupgrade.execute.ApprovalRequest;
import io.haupgrade.execute.Approver;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;

/**
 * Asks on the terminal: prints the request with its evidence and reads the answer (one of the offered choices).
 * The answer is given as the person running the CLI ({@code --approver NAME}, else the OS user).
 */
final class TerminalApprover implements Approver {
    private final BufferedReader in;
    private final PrintWriter out;
    private final String approver;
    private final Clock clock;

    TerminalApprover(BufferedReader in, PrintWriter out, String approver, Clock clock) {
        this.in = in;
        this.out = out;
        this.approver = approver;
        this.clock = clock;
    }

    @Override
    public Optional<ApprovalDecision> ask(ApprovalRequest request) throws InterruptedException {
        out.println(ConsoleRenderer.describe(request));
        String choices = String.join("/", request.choices().stream().map(ConsoleRenderer::lower).toList());
        while (!Thread.currentThread().isInterrupted()) {
            out.print("  " + choices + "? ");
            out.flush();
            String line;
            try {
                // Reading blocks; the runner enforces the deadline and cancellation around this call.
                line = in.readLine();
            } catch (IOException e) {
                return Optional.empty();
            }
            if (line == null) {
                return Optional.empty();
            }
            String word = line.strip().toLowerCase(Locale.ROOT);
            for (Answer answer : request.choices()) {
                String name = ConsoleRenderer.lower(answer);
                if (!word.isEmpty() && (name.equals(word) || name.startsWith(word) && word.length() >= 1
                        && request.choices().stream().filter(a -> ConsoleRenderer.lower(a).startsWith(word)).count() == 1)) {
                    return Optional.of(ApprovalDecision.of(request.id(), answer, approver, clock.instant(), null));
                }
            }
            out.println("  answer one of: " + choices);
        }
        throw new InterruptedException("approval prompt interrupted");
    }

    @Override
    public void refused(ApprovalRequest request, String reason) {
        out.println("  not accepted: " + reason);
        out.flush();
    }
}
