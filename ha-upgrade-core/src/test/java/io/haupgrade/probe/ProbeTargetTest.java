package io.haupgrade.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haupgrade.spec.ServiceProbe;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProbeTargetTest {

    private static ServiceProbe probe(String url) {
        return new ServiceProbe(url, null, null, null, null, null);
    }

    @Test
    void namesHttpHttpsAndTcpTargets() {
        assertThat(ProbeTarget.of(probe("http://10.0.0.30/health"))).isInstanceOf(HttpTarget.class);
        assertThat(ProbeTarget.of(probe("HTTPS://vip.example:8443/"))).isInstanceOf(HttpTarget.class);
        assertThat(ProbeTarget.of(probe("tcp://10.0.0.30:5432")).describe()).isEqualTo("tcp://10.0.0.30:5432");
    }

    @Test
    void masksCredentialsInTheDescriptionAndInErrors() {
        assertThat(ProbeTarget.of(probe("http://probe:s3cret@10.0.0.30/health")).describe())
                .isEqualTo("http://***@10.0.0.30/health");
        assertThatThrownBy(() -> ProbeTarget.of(probe("ftp://probe:s3cret@10.0.0.30/")))
                .hasMessageContaining("ftp://***@10.0.0.30/")
                .hasMessageContaining("scheme must be http, https or tcp")
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void explainsUnusableUrls() {
        assertThatThrownBy(() -> ProbeTarget.of(probe("tcp://10.0.0.30")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("names no port");
        assertThatThrownBy(() -> ProbeTarget.of(probe("10.0.0.30:80")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hint");
        assertThatThrownBy(() -> ProbeTarget.of(probe(" ")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("probe.url is empty");
    }

    @Test
    void refusesANonPositiveInterval() {
        ServiceProbe spec = new ServiceProbe("http://127.0.0.1/", Duration.ZERO, null, null, null, null);
        assertThatThrownBy(() -> new DowntimeProbe(spec, Duration.ofMinutes(1), e -> { }))
                .hasMessageContaining("probe.interval must be a positive duration");
    }

    @Test
    void aRefusedConnectionIsAFailureNotAnException() {
        // Port 9 (discard) is not listened on by anything on this loopback.
        Sample sample = ProbeTarget.of(probe("http://127.0.0.1:9/")).probe(Duration.ofMillis(200));
        assertThat(sample.ok()).isFalse();
        assertThat(sample.error()).startsWith("connect: ");
    }
}
