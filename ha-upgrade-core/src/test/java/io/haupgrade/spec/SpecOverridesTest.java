package io.haupgrade.spec;

import static io.haupgrade.spec.SpecAssertions.PAIR;
import static io.haupgrade.spec.SpecAssertions.valid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one mapping from a step's text fields to the spec a run sees. */
class SpecOverridesTest {

    private static final String WITH_POLICY = PAIR + """
            targetVersion: "2.0"
            policy:
              strategy: canary
              onFailure: rollback
              approvals:
                at: [after-first-node]
                timeout: 90m
                submitters: [ops]
            """;

    @Test
    void blankFieldsKeepEveryValueOfTheFile() {
        ClusterSpec spec = valid(WITH_POLICY);
        ClusterSpec same = SpecOverrides.parse("", null, " ", null, "", null).applyTo(spec);
        assertThat(same).isEqualTo(spec);
        assertThat(SpecOverrides.NONE.applyTo(spec)).isEqualTo(spec);
    }

    @Test
    void writtenFieldsReplaceTheFilesValuesAndNothingElse() {
        ClusterSpec spec = valid(WITH_POLICY);
        ClusterSpec run = SpecOverrides.parse("active-passive", "2.1", "PAUSE", "before-switchover, after-each-node",
                "alice, ops-leads", "30m").applyTo(spec);
        assertThat(run.policy().strategy()).isEqualTo(Strategy.ACTIVE_PASSIVE);
        assertThat(run.targetVersion()).isEqualTo("2.1");
        assertThat(run.policy().onFailure()).isEqualTo(FailureAction.PAUSE);
        assertThat(run.policy().approvals().at())
                .containsExactly(ApprovalPoint.BEFORE_SWITCHOVER, ApprovalPoint.AFTER_EACH_NODE);
        assertThat(run.policy().approvals().submitters()).containsExactly("alice", "ops-leads");
        assertThat(run.policy().approvals().timeout()).isEqualTo(Duration.ofMinutes(30));
        assertThat(run.nodes()).isEqualTo(spec.nodes());
        assertThat(run.commands()).isEqualTo(spec.commands());
        assertThat(run.policy().maxUnavailable()).isEqualTo(spec.policy().maxUnavailable());
    }

    @Test
    void knownHostsFromElsewhereReplaceTheFilesAndStayStrict() {
        ClusterSpec spec = valid(WITH_POLICY);
        ClusterSpec run = SpecOverrides.withKnownHosts(spec, "192.0.2.11 ssh-ed25519 AAAAC3Nza\n");
        assertThat(run.ssh().knownHosts()).isEqualTo(new KnownHosts(null, "192.0.2.11 ssh-ed25519 AAAAC3Nza\n", false));
        assertThat(run.ssh().port()).isEqualTo(spec.ssh().port());
        assertThat(run.policy()).isEqualTo(spec.policy());
        assertThat(run.nodes()).isEqualTo(spec.nodes());
    }

    @Test
    void noneRemovesEveryApprovalPoint() {
        ClusterSpec run = SpecOverrides.parse(null, null, null, "none", null, null).applyTo(valid(WITH_POLICY));
        assertThat(run.policy().approvals().at()).isEqualTo(List.of());
    }

    @Test
    void badValuesNameTheFieldAndWhatIsAccepted() {
        assertThatThrownBy(() -> SpecOverrides.parse("rollin", null, null, null, null, null))
                .hasMessage("strategy: unknown value 'rollin'; hint: write one of "
                        + "[rolling, active-passive, canary, replace, full-stop]");
        assertThatThrownBy(() -> SpecOverrides.parse(null, null, null, "before-switchover,later", null, null))
                .hasMessageStartingWith("approvals: unknown value 'later'; hint: write one of [before-start,");
        assertThatThrownBy(() -> SpecOverrides.parse(null, null, null, null, null, "soon"))
                .hasMessage("timeout: 'soon' is not a duration; hint: " + Durations.HINT);
    }
}
