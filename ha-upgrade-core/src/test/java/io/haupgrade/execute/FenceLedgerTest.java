package io.haupgrade.execute;

import static org.assertj.core.api.Assertions.assertThat;

import io.haupgrade.spec.NodeGroup;
import java.util.List;
import org.junit.jupiter.api.Test;

class FenceLedgerTest {
    @Test
    void refusesFencingBeyondMaxUnavailableAndBeyondAGroupsLimit() {
        FenceLedger ledger = new FenceLedger(2, List.of(new NodeGroup("pair-a", List.of("a1", "a2"), 1)));
        assertThat(ledger.refusal(List.of("a1", "b1"))).isEmpty();
        ledger.fenced("a1", "fenced by node:a1:fence");

        assertThat(ledger.refusal(List.of("a2"))).hasValueSatisfying(r -> assertThat(r)
                .contains("group pair-a").contains("maxUnavailable is 1"));
        assertThat(ledger.refusal(List.of("b1", "b2"))).hasValueSatisfying(r -> assertThat(r)
                .contains("would put 3 nodes out of service").contains("[a1] already are"));
        assertThat(ledger.refusal(List.of("a1", "b1"))).as("a node fenced already is not counted twice").isEmpty();

        ledger.unfenced("a1");
        assertThat(ledger.nodes()).isEmpty();
        assertThat(ledger.refusal(List.of("a2"))).isEmpty();
    }
}
