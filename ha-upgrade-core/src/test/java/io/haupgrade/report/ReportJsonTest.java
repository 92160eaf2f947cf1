package io.haupgrade.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReportJsonTest {

    @Test
    void roundTripKeepsEveryField() {
        RunReport report = SampleReports.failedRollingUpgrade();

        RunReport read = ReportJson.fromJson(ReportJson.toJson(report), "report.json");

        assertThat(read).isEqualTo(report);
    }

    @Test
    void writesInstantsAndDurationsAsIsoTextAndTheDerivedWait() {
        String json = ReportJson.toJson(SampleReports.failedRollingUpgrade());

        assertThat(json)
                .contains("\"schemaVersion\" : 1")
                .contains("\"startedAt\" : \"2026-11-23T10:00:00Z\"")
                .contains("\"length\" : \"PT0.4S\"")
                .contains("\"waited\" : \"PT12S\"")
                .contains("\"outcome\" : \"FAILED\"")
                .doesNotContain("\"duration\"");
        assertThat(SampleReports.failedRollingUpgrade().approvals().get(0).waited()).isEqualTo(Duration.ofSeconds(12));
    }

    @Test
    void refusesANewerSchemaWithAHint() {
        String json = ReportJson.toJson(SampleReports.failedRollingUpgrade())
                .replace("\"schemaVersion\" : 1", "\"schemaVersion\" : 99");

        assertThatThrownBy(() -> ReportJson.fromJson(json, "old/report.json"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("old/report.json")
                .hasMessageContaining("schema 99")
                .hasMessageContaining("hint");
    }

    @Test
    void refusesSomethingThatIsNotAReport() {
        assertThatThrownBy(() -> ReportJson.fromJson("{\"name\": \"x\"}", "x.json"))
                .hasMessageContaining("x.json: not a ha-upgrade report");
    }
}
