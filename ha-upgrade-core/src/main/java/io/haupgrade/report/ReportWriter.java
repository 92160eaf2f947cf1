package io.haupgrade.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writes {@code report.json} and {@code report.html} into a directory; a reader never sees half a file. */
public final class ReportWriter {

    public static final String JSON = "report.json";
    public static final String HTML = "report.html";

    /** The files written. */
    public record Written(Path json, Path html) {
    }

    private ReportWriter() {
    }

    public static Written write(RunReport report, Path directory) {
        try {
            Files.createDirectories(directory);
            Path json = replace(directory.resolve(JSON), ReportJson.toJson(report));
            Path html = replace(directory.resolve(HTML), HtmlReport.render(report));
            return new Written(json, html);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report of run " + report.runId() + " into " + directory
                    + ": " + e.getMessage(), e);
        }
    }

    /** Writes a temporary file beside the target, then moves it over the target in one step. */
    private static Path replace(Path target, String content) throws IOException {
        Path temp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
        try {
            Files.writeString(temp, content, StandardCharsets.UTF_8);
            try {
                return Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                return Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
