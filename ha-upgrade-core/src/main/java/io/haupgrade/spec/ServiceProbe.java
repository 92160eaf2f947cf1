package io.haupgrade.spec;

import java.time.Duration;

/** The service endpoint probed during the whole rollout to measure downtime. */
@Doc("The service endpoint (usually the VIP) probed during the whole rollout to measure downtime.")
public record ServiceProbe(
        @Required @Shorthand @Doc(value = "http(s)://... for an HTTP probe, tcp://host:port for a TCP connect probe.",
                example = "http://198.51.100.10/")
        String url,
        @Doc("Pause between two probes. Default: 100ms.") Duration interval,
        @Doc("Timeout of one probe. Default: 1s.") Duration timeout,
        @Doc("Total downtime allowed; exceeding it fails the run and triggers the failure policy.") Duration maxDowntime,
        @Doc(value = "Response header naming the backend node that answered.", example = "X-Node") String backendHeader,
        @Doc(value = "Response header naming the version that answered.", example = "X-Version") String versionHeader) {

    public ServiceProbe {
        interval = interval == null ? Duration.ofMillis(100) : interval;
        timeout = timeout == null ? Duration.ofSeconds(1) : timeout;
    }
}
