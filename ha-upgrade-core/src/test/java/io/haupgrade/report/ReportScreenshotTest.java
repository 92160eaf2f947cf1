package io.haupgrade.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Renders the report of a realistic run in headless Chromium and checks what a person would see: the page at its
 * size, every node's lane drawn, the outage red in the availability strip. The screenshots stay in
 * {@code target/report-screenshots} to look at.
 */
@Timeout(180)
class ReportScreenshotTest {

    private static final int WIDTH = 1400;
    private static final int HEIGHT = 1000;
    private static final Path OUT = Path.of("target", "report-screenshots");

    @Test
    void theTimelineShowsEveryLaneAndTheOutageInRed() throws Exception {
        Assumptions.assumeTrue(HeadlessChromium.available(),
                "headless Chromium not installed (/usr/bin/chromium; Debian package 'chromium'): "
                        + "the report is not rendered and looked at");
        Files.createDirectories(OUT);
        RunReport report = SampleReports.failedRollingUpgrade();

        ReportWriter.Written written = ReportWriter.write(report, OUT.resolve("report"));
        Path page = OUT.resolve("report.png");
        Files.deleteIfExists(page);
        HeadlessChromium.screenshot(written.html().toAbsolutePath(), page.toAbsolutePath(), WIDTH, HEIGHT, OUT);

        BufferedImage full = ImageIO.read(page.toFile());
        assertThat(full.getWidth()).isEqualTo(WIDTH);
        assertThat(full.getHeight()).isEqualTo(HEIGHT);
        assertThat(count(full, 0, 0, WIDTH, HEIGHT, 0xdc2626)).as("red: outcome, held fence, outage").isGreaterThan(500);

        Path timelineHtml = OUT.resolve("timeline.html");
        Files.writeString(timelineHtml, HtmlReport.timelinePage(report));
        Path timeline = OUT.resolve("timeline.png");
        Files.deleteIfExists(timeline);
        HeadlessChromium.screenshot(timelineHtml.toAbsolutePath(), timeline.toAbsolutePath(), WIDTH, 500, OUT);
        BufferedImage image = ImageIO.read(timeline.toFile());

        int plotLeft = TimelineSvg.LABEL_WIDTH;
        int plotRight = TimelineSvg.WIDTH - TimelineSvg.RIGHT_MARGIN;
        for (int i = 0; i < report.nodes().size(); i++) {
            int top = TimelineSvg.nodeLaneTop(i);
            assertThat(countColoured(image, plotLeft, top + 4, plotRight, top + TimelineSvg.LANE_HEIGHT - 4))
                    .as("phase bars in the lane of %s", report.nodes().get(i).name()).isGreaterThan(1000);
        }
        int strip = TimelineSvg.stripTop(report.nodes().size());
        int stripBottom = strip + TimelineSvg.STRIP_HEIGHT;
        // 400 ms of a ~29 s axis over ~1030 px is ~14 px wide, 24 px high.
        assertThat(count(image, plotLeft, strip, plotRight, stripBottom, 0xdc2626)).as("outage red in the strip")
                .isBetween(14 * 20, 16 * 24);
        assertThat(count(image, plotLeft, strip, plotRight, stripBottom, 0x16a34a)).as("available green")
                .isGreaterThan(900 * 20);
        assertThat(count(image, plotLeft, TimelineSvg.clusterLaneTop(), plotRight,
                TimelineSvg.clusterLaneTop() + TimelineSvg.LANE_HEIGHT, 0xf59e0b)).as("hatched approval")
                .isGreaterThan(200);
    }

    /** Pixels within a small distance of {@code rgb} in the rectangle. */
    private static int count(BufferedImage image, int x0, int y0, int x1, int y1, int rgb) {
        int n = 0;
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                if (distance(image.getRGB(x, y), rgb) < 40) {
                    n++;
                }
            }
        }
        return n;
    }

    /** Pixels that are clearly coloured (not white, grey or the lane's pale background). */
    private static int countColoured(BufferedImage image, int x0, int y0, int x1, int y1) {
        int n = 0;
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                int p = image.getRGB(x, y);
                int r = (p >> 16) & 0xff;
                int g = (p >> 8) & 0xff;
                int b = p & 0xff;
                if (Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 60) {
                    n++;
                }
            }
        }
        return n;
    }

    private static int distance(int p, int rgb) {
        return Math.abs(((p >> 16) & 0xff) - ((rgb >> 16) & 0xff)) + Math.abs(((p >> 8) & 0xff) - ((rgb >> 8) & 0xff))
                + Math.abs((p & 0xff) - (rgb & 0xff));
    }
}
