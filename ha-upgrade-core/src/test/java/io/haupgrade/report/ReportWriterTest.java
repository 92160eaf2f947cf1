package io.haupgrade.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportWriterTest {

    @TempDir
    Path dir;

    @Test
    void writesBothFilesThatReadBackAndLeavesNoTemporaryFile() throws Exception {
        RunReport report = SampleReports.failedRollingUpgrade();

        ReportWriter.Written written = ReportWriter.write(report, dir.resolve("run-1"));

        assertThat(written.json()).isEqualTo(dir.resolve("run-1/report.json"));
        assertThat(ReportJson.read(written.json())).isEqualTo(report);
        assertThat(Files.readString(written.html())).startsWith("<!DOCTYPE html>").endsWith("</html>\n");
        try (Stream<Path> files = Files.list(dir.resolve("run-1"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("report.json",
                    "report.html");
        }
    }

    @Test
    void replacesAnEarlierReport() throws Exception {
        Files.writeString(dir.resolve("report.json"), "{\"schemaVersion\": 1, \"outcome\": \"SUCCEEDED\"}");

        ReportWriter.write(SampleReports.failedRollingUpgrade(), dir);

        assertThat(ReportJson.read(dir.resolve("report.json")).outcome()).isEqualTo(Outcome.FAILED);
    }
}
