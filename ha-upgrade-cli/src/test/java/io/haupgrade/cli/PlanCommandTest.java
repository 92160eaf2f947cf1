package io.haupgrade.cli;

import static io.haupgrade.cli.MainTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.haupgrade.cli.MainTest.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ha-upgrade plan}, run in-process with its output captured. */
class PlanCommandTest {
    private static final String NL = System.lineSeparator();
    private static final String PAIR = """
            name: lb
            targetVersion: 6.1.2
            nodes:
              - name: lb1
                host: 192.0.2.11
                role: master
              - name: lb2
                host: 192.0.2.12
                role: backup
            commands:
              fence: block-sync ${node.name}
              upgrade: checkupgrades -i
              unfence: unblock-sync ${node.name}
              switchover:
                run: maintenance enable
                description: the master steps down
            policy:
              approvals:
                at: [before-switchover]
            """;
    private static final String SCHEMA_CHANGE = """
            currentVersion: 5.4.1
            compatibility:
              rules:
                - jump: major
                  strategies: [full-stop]
                  reason: the database schema changes
            """;

    @TempDir
    Path dir;

    private String write(String text) throws IOException {
        Path file = dir.resolve("lb.yaml");
        Files.writeString(file, text);
        return file.toString();
    }

    @Test
    void printsTheNumberedPlanGroupedByNodeWithTheSwitchoverAndApprovalMarked() throws IOException {
        Run run = run("plan", write(PAIR));

        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(run.out().replace(NL, "\n")).isEqualTo("""
                Plan for cluster lb: rolling, current version unknown -> 6.1.2
                Primary now: lb1; 14 steps

                    1  gate:preflight              preflight gate: the cluster is healthy before anything changes

                   -- lb2 --
                    2  node:lb2:fence              fence standby lb2: take it out of service
                    3  node:lb2:upgrade            upgrade standby lb2 to 6.1.2
                    4  node:lb2:verify             verify standby lb2: runs 6.1.2 and passes the checks
                    5  node:lb2:unfence            unfence standby lb2: bring it back into service
                    6  gate:after:lb2              gate: the cluster is healthy after standby lb2

                ??  7  approval:before-switchover  APPROVAL (before-switchover): standby lb2 runs 6.1.2 and is verified; \
                next: switch over from lb1 to lb2 and upgrade primary lb1

                >>  8  switchover:lb1->lb2         SWITCHOVER: move the primary role from lb1 to lb2, and wait until lb2 \
                is primary (at most 2m)

                   -- lb1 --
                    9  node:lb1:fence              fence former primary lb1: take it out of service
                   10  node:lb1:upgrade            upgrade former primary lb1 to 6.1.2
                   11  node:lb1:verify             verify former primary lb1: runs 6.1.2 and passes the checks
                   12  node:lb1:unfence            unfence former primary lb1: bring it back into service
                   13  gate:after:lb1              gate: the cluster is healthy after former primary lb1

                   14  gate:final                  final gate: the cluster is healthy with every node on 6.1.2

                Notes:
                  - strategy rolling (policy.strategy)
                  - batches of up to 1 node (policy.maxUnavailable 1)
                  - mixed versions serve from step 3 (node:lb2:upgrade) until step 11 (node:lb1:verify)
                """);
    }

    @Test
    void listsTheCommandsOfEachStepOnRequest() throws IOException {
        Run run = run("plan", write(PAIR), "--commands");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("node:lb2:fence              fence standby lb2: take it out of service" + NL
                + " ".repeat(35) + "$ block-sync ${node.name}   (for lb2)" + NL);
        assertThat(run.out()).contains("$ maintenance enable   (for lb1)");
    }

    @Test
    void jsonHasStableFieldNames() throws IOException {
        Run run = run("plan", write(PAIR), "--json", "--target-version", "6.2.0", "--current-version", "6.1.1");

        assertThat(run.exitCode()).isZero();
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertThat(json.get("formatVersion").asInt()).isEqualTo(1);
        assertThat(json.get("cluster").asText()).isEqualTo("lb");
        assertThat(json.get("strategy").asText()).isEqualTo("rolling");
        assertThat(json.get("targetVersion").asText()).isEqualTo("6.2.0");
        assertThat(json.get("currentVersion").asText()).isEqualTo("6.1.1");
        assertThat(json.get("primary").asText()).isEqualTo("lb1");
        assertThat(json.get("expectedDowntime").isNull()).isTrue();
        assertThat(json.get("mixedVersionWindow").get("startsAfter").asText()).isEqualTo("node:lb2:upgrade");
        List<String> ids = new ArrayList<>();
        json.get("steps").forEach(s -> ids.add(s.get("id").asText()));
        assertThat(ids).startsWith("gate:preflight", "node:lb2:fence").contains("switchover:lb1->lb2").endsWith("gate:final");
        JsonNode approval = json.get("steps").get(6);
        assertThat(approval.get("kind").asText()).isEqualTo("approval");
        assertThat(approval.get("approval").asText()).isEqualTo("before-switchover");
        JsonNode switchover = json.get("steps").get(7);
        assertThat(switchover.get("kind").asText()).isEqualTo("switchover");
        assertThat(switchover.get("nodes")).extracting(JsonNode::asText).containsExactly("lb1", "lb2");
        assertThat(json.get("steps").get(1).get("phase").asText()).isEqualTo("fence");
        assertThat(json.get("notes").get(0).asText()).isEqualTo("strategy rolling (policy.strategy)");
    }

    @Test
    void anUnsafeStrategyIsRefusedWithExitCode3AndTheSafeOnes() throws IOException {
        Run run = run("plan", write(PAIR.replace("targetVersion: 6.1.2", "targetVersion: 6.0.0") + SCHEMA_CHANGE));

        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualTo("plan refused: rolling is not safe for the major jump 5.4.1 -> 6.0.0 "
                + "(compatibility rule for major jumps): the database schema changes. Safe: full-stop" + NL
                + "  hint: choose a safe strategy, e.g. --strategy full-stop or policy.strategy: full-stop" + NL);
    }

    @Test
    void aRefusalInJson() throws IOException {
        Run run = run("plan", "--json", write(PAIR.replace("targetVersion: 6.1.2", "targetVersion: 6.0.0") + SCHEMA_CHANGE));

        assertThat(run.exitCode()).isEqualTo(3);
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertThat(json.get("refused").get("message").asText()).startsWith("rolling is not safe for the major jump");
        assertThat(json.get("refused").get("hint").asText()).contains("--strategy full-stop");
    }

    @Test
    void aStrategyTheFileLacksCommandsForIsRefused() throws IOException {
        Run run = run("plan", write(PAIR), "--strategy", "full-stop");

        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.err()).startsWith("plan refused: strategy full-stop does not fit ")
                .contains("strategy full-stop needs stop commands");
    }

    @Test
    void theRequestedStrategyIsPlanned() throws IOException {
        Run run = run("plan", write(PAIR), "--strategy", "Active-Passive");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("Plan for cluster lb: active-passive, ")
                .contains("strategy active-passive (requested)");
    }

    @Test
    void noTargetVersionIsARefusalThatSaysWhereToGiveIt() throws IOException {
        Run run = run("plan", write(PAIR.replace("targetVersion: 6.1.2" + "\n", "")));

        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.err()).isEqualTo("plan refused: no target version for cluster lb" + NL
                + "  hint: write targetVersion in the spec, or pass --target-version" + NL);
    }

    @Test
    void anInvalidFileGivesItsErrorsAndExitCode2() throws IOException {
        String file = write(PAIR.replace("name: lb2", "name: lb1"));

        Run run = run("plan", file);
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains(file + ":7:11: nodes[1].name: duplicate node name 'lb1'");

        Run json = run("plan", file, "--json");
        assertThat(json.exitCode()).isEqualTo(2);
        JsonNode error = new ObjectMapper().readTree(json.out()).get("errors").get(0);
        assertThat(error.get("line").asInt()).isEqualTo(7);
        assertThat(error.get("path").asText()).isEqualTo("nodes[1].name");
    }

    @Test
    void anUnknownStrategyIsAUsageError() throws IOException {
        Run run = run("plan", write(PAIR), "--strategy", "blue-green");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("unknown strategy 'blue-green'; one of: rolling, active-passive, canary, replace, full-stop");
    }

    @Test
    void helpDocumentsTheOptionsAndExitCodes() {
        Run run = run("plan", "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("--strategy=S", "--target-version=V", "--current-version=V", "--json",
                "--commands", "3   the plan is refused");
    }

    @Test
    void everyExamplePlansWithItsOwnStrategy() throws IOException {
        try (var files = Files.list(Path.of("..", "docs", "examples"))) {
            for (Path example : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                Run run = run("plan", example.toString());
                assertThat(run.exitCode()).as(example + ": " + run.err()).isZero();
                assertThat(run.out()).as(example.toString()).contains("  1  gate:preflight").contains("gate:final");
            }
        }
    }
}
