package io.haupgrade.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.haupgrade.spec.Role;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class HtmlReportTest {

    @Test
    void saysTheOutcomeTheNumbersAndTheHeldFenceUpFront() {
        String html = HtmlReport.render(SampleReports.failedRollingUpgrade());

        assertThat(html)
                .contains("<span class=\"badge\">FAILED</span><h1>lb-prod</h1>")
                .contains("Stopped at step 6 (upgrade old master n3): upgrade failed, exit 100")
                .contains("400 ms in 1 outage (budget 2.0 s)")
                .contains("98.62 % · 20 of 1450 probes failed")
                .contains("1 node is still out of service")
                .contains("<code>systemctl start keepalived</code>")
                .contains("approved by alice · 12.0 s")
                .contains("switchover on n3")
                .contains("n3 still runs 6.1.1 while n1 and n2 run 6.1.2");
        assertThat(html.indexOf("still out of service")).as("the held fence comes before the timeline")
                .isLessThan(html.indexOf("<svg"));
    }

    @Test
    void isSelfContainedAndEscapesEveryText() {
        RunReport hostile = withNodeName(SampleReports.failedRollingUpgrade(), "<script>alert('x')</script>&\"");

        String html = HtmlReport.render(hostile);

        assertThat(html).doesNotContain("<script").doesNotContain("alert('x')")
                .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;")
                .doesNotContainPattern("(src|href)\\s*=")
                .doesNotContain("@import").doesNotContain("url(http");
        assertThat(html).contains("E: Unable to locate package &lt;app&gt;");
    }

    @Test
    void aCleanRunWithoutProbeIsGreenAndSaysDowntimeWasNotMeasured() {
        RunReport failed = SampleReports.failedRollingUpgrade();
        RunReport clean = new RunReport(1, "r2", "db", "active-passive", "15.4", failed.startedAt(),
                failed.finishedAt(), Outcome.SUCCEEDED, null, "ci", failed.plan(), List.of(new NodeReport("db1",
                "10.0.0.21", Role.PRIMARY, Role.PRIMARY, "15.3", "15.4", NodeOutcome.UPGRADED,
                failed.nodes().get(0).phases())), List.of(), List.of(), null, null, List.of(), List.of());

        String html = HtmlReport.render(clean);

        assertThat(html).contains("--c:#16a34a").contains("SUCCEEDED").contains("not measured")
                .contains("no service probe in the spec").doesNotContain("still out of service")
                .doesNotContain("Stopped at");
    }

    @Test
    void drawsOneLanePerNodeAndAnOutageBarInTheStrip() {
        RunReport report = SampleReports.failedRollingUpgrade();

        String svg = TimelineSvg.render(report);

        for (NodeReport node : report.nodes()) {
            assertThat(svg).contains("class=\"lane\">" + node.name() + "</text>");
        }
        assertThat(svg).contains("<title>outage 10:00:22.600 – 10:00:23.000: 400 ms, 20 failed probes, HTTP 503")
                .contains("class=\"outage\" text-anchor=\"middle\">400 ms</text>")
                .contains("stroke=\"#dc2626\" stroke-width=\"2.5\"")
                .contains("url(#hatch)");
        assertThat(TimelineSvg.stripTop(3)).isGreaterThan(TimelineSvg.nodeLaneTop(2) + TimelineSvg.LANE_HEIGHT);
    }

    @Test
    void aRunWithoutTimesStillRenders() {
        RunReport empty = new RunReport(1, "r0", "c", "rolling", "1", null, null, Outcome.ABORTED, "before start",
                null, null, null, null, null, null, null, null, null);

        assertThat(HtmlReport.render(empty)).contains("ABORTED").contains("Stopped at before start")
                .contains("</svg>");
        assertThat(Text.duration(Duration.ofMinutes(75))).isEqualTo("1 h 15 min");
    }

    private static RunReport withNodeName(RunReport r, String name) {
        NodeReport n = r.nodes().get(0);
        List<NodeReport> nodes = List.of(new NodeReport(name, n.host(), n.roleBefore(), n.roleAfter(),
                n.versionBefore(), n.versionAfter(), n.outcome(), n.phases()), r.nodes().get(1), r.nodes().get(2));
        return new RunReport(r.schemaVersion(), r.runId(), name, r.strategy(), r.targetVersion(), r.startedAt(),
                r.finishedAt(), r.outcome(), r.stoppedAt(), r.startedBy(), r.plan(), nodes, r.gates(), r.approvals(),
                r.expectedDowntime(), r.probe(), r.fencesHeld(), r.warnings());
    }
}
