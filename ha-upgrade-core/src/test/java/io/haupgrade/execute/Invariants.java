package io.haupgrade.execute;

import static org.assertj.core.api.Assertions.assertThat;

import io.haupgrade.report.HeldFence;
import io.haupgrade.report.RunReport;
import io.haupgrade.spec.Phase;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The rules every run must keep, checked against what reached the nodes and what the run recorded. */
final class Invariants {
    private Invariants() {
    }

    static void check(SimCluster sim, int maxUnavailable, RunReport report) {
        // Never more than maxUnavailable nodes out of service, as seen by the nodes themselves.
        Set<String> fenced = new LinkedHashSet<>();
        for (String line : sim.log()) {
            String[] p = line.split(" ");
            if (p[1].equals("fence")) {
                fenced.add(p[0]);
                assertThat(fenced).as("fenced at once after '%s'", line).hasSizeLessThanOrEqualTo(maxUnavailable);
            } else if (p[1].equals("unfence")) {
                fenced.remove(p[0]);
            }
        }
        // A green gate, after the last node (or batch) came back, before every fence step.
        boolean green = false;
        for (RunEvent e : sim.events) {
            if (e instanceof RunEvent.GateFinished g) {
                green = g.result().healthy();
            } else if (e instanceof RunEvent.StepStarted s && s.step().phase() == Phase.FENCE) {
                assertThat(green).as("gate green before %s", s.step().id()).isTrue();
                green = false;
            }
        }
        // Every node still fenced on the node is in the report with a reason, and no other.
        List<String> stillFenced = sim.nodes().stream().map(n -> n.name()).filter(n -> sim.read(n, "fence") != null)
                .toList();
        assertThat(report.fencesHeld().stream().map(HeldFence::node).toList())
                .containsExactlyInAnyOrderElementsOf(stillFenced);
        report.fencesHeld().forEach(h -> assertThat(h.reason()).isNotBlank());
        // Every step the run started was finished (even across a death and a resume).
        List<String> started = sim.events.stream().filter(e -> e instanceof RunEvent.StepStarted)
                .map(e -> ((RunEvent.StepStarted) e).step().id()).distinct().toList();
        List<String> finished = sim.events.stream().filter(e -> e instanceof RunEvent.StepFinished)
                .map(e -> ((RunEvent.StepFinished) e).stepId()).distinct().toList();
        assertThat(finished).containsAll(started);
    }

    /** The order nodes were fenced in, from the nodes' log. */
    static List<String> fenceOrder(SimCluster sim) {
        return sim.log().stream().filter(l -> l.endsWith(" fence")).map(l -> l.split(" ")[0]).toList();
    }

    static boolean isPhase(RunEvent e, Phase phase) {
        return e instanceof RunEvent.StepStarted s && s.step().phase() == phase;
    }
}
