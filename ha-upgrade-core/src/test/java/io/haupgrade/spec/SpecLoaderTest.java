package io.haupgrade.spec;

import static io.haupgrade.spec.SpecAssertions.PAIR;
import static io.haupgrade.spec.SpecAssertions.error;
import static io.haupgrade.spec.SpecAssertions.errorsOf;
import static io.haupgrade.spec.SpecAssertions.onlyError;
import static io.haupgrade.spec.SpecAssertions.valid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reading and binding: every error placed exactly, every form of value the format allows. */
class SpecLoaderTest {

    @Test
    void unknownKeySuggestsTheClosestKeyOfThatRecord() {
        SpecError e = onlyError(PAIR.replace("    host: 192.0.2.12", "    host: 192.0.2.12\n    rloe: primary"));
        assertThat(e).isEqualTo(error(7, 5, "nodes[1].rloe", "unknown key 'rloe'",
                "did you mean 'role'? valid keys here: name, host, port, user, credentialsId, role, membership, "
                        + "hostKey, labels, commands"));
    }

    @Test
    void unknownKeyWithNothingCloseListsTheValidKeys() {
        SpecError e = onlyError(PAIR + "policy:\n  zzz: 1\n");
        assertThat(e.path()).isEqualTo("policy.zzz");
        assertThat(e.line()).isEqualTo(10);
        assertThat(e.column()).isEqualTo(3);
        assertThat(e.hint()).isEqualTo("valid keys here: strategy, maxUnavailable, approvals, onFailure, failback, "
                + "quorum, trustDiscoveredRoles, retries, timeouts");
    }

    @Test
    void keyAtTheWrongLevelSaysWhereItBelongs() {
        SpecError e = onlyError(PAIR + "strategy: canary\n");
        assertThat(e).isEqualTo(error(9, 1, "strategy", "unknown key 'strategy'",
                "'strategy' belongs at policy.strategy. valid keys here: name, description, profile, targetVersion, "
                        + "currentVersion, ssh, nodes, groups, discovery, commands, hooks, health, probe, policy, "
                        + "compatibility, variables"));
        assertThat(onlyError(PAIR.replace("    host: 192.0.2.12", "    host: 192.0.2.12\n    upgrade: x")).hint())
                .startsWith("'upgrade' belongs at commands.upgrade or nodes[].commands.upgrade. valid keys here: name,");
    }

    @Test
    void snakeCaseKeyIsRecognisedAsTheCamelCaseOne() {
        SpecError e = onlyError(PAIR.replace("name: lb\n", "name: lb\ntarget_version: 6.1\n"));
        assertThat(e.message()).isEqualTo("unknown key 'target_version'");
        assertThat(e.hint()).startsWith("did you mean 'targetVersion'? ");
    }

    @Test
    void missingRequiredKeyIsPlacedAtItsMappingWithDocAndExample() {
        SpecError e = onlyError(PAIR.replace("    host: 192.0.2.12\n", ""));
        assertThat(e).isEqualTo(error(5, 5, "nodes[1].host", "missing required key 'host'",
                "Address to reach the node over SSH. Example: host: 192.0.2.11"));
    }

    @Test
    void emptyValueOfARequiredKeyCountsAsMissing() {
        SpecError e = onlyError(PAIR.replace("host: 192.0.2.12", "host:"));
        assertThat(e.path()).isEqualTo("nodes[1].host");
        assertThat(e.message()).isEqualTo("missing required key 'host'");
    }

    @Test
    void badEnumValueListsTheAllowedValuesAndSuggestsOne() {
        SpecError e = onlyError(PAIR + "policy:\n  strategy: active_passive\n");
        assertThat(e).isEqualTo(error(10, 13, "policy.strategy", "unknown value 'active_passive'",
                "did you mean 'active-passive'? allowed: rolling, active-passive, canary, replace, full-stop"));
    }

    @Test
    void badRoleListsAliases() {
        SpecError e = onlyError(PAIR.replace("    host: 192.0.2.12", "    host: 192.0.2.12\n    role: boss"));
        assertThat(e.message()).isEqualTo("unknown value 'boss'");
        assertThat(e.hint()).isEqualTo("allowed: primary (or master, leader, active), "
                + "standby (or backup, follower, passive, secondary, replica)");
        assertThat(e.line()).isEqualTo(7);
        assertThat(e.column()).isEqualTo(11);
    }

    @Test
    void enumsAcceptKebabNamesAndAliasesInAnyCase() {
        ClusterSpec spec = valid(PAIR.replace("    host: 192.0.2.11", "    host: 192.0.2.11\n    role: MASTER")
                .replace("    host: 192.0.2.12", "    host: 192.0.2.12\n    role: Backup")
                + "  switchover: pcs node standby ${node.name}\npolicy:\n  strategy: Active-Passive\n  onFailure: PAUSE\n");
        assertThat(spec.nodes()).extracting(NodeSpec::role).containsExactly(Role.PRIMARY, Role.STANDBY);
        assertThat(spec.policy().strategy()).isEqualTo(Strategy.ACTIVE_PASSIVE);
        assertThat(spec.policy().onFailure()).isEqualTo(FailureAction.PAUSE);
    }

    @Test
    void badDurationSaysWhichFormsAreAccepted() {
        SpecError e = onlyError(PAIR + "health:\n  timeout: 5 minutes\n");
        assertThat(e).isEqualTo(error(10, 12, "health.timeout", "bad duration '5 minutes'",
                "write e.g. 500ms, 30s, 5m, 1h30m, 2h, PT30S, or a whole number of seconds"));
    }

    @ParameterizedTest
    @CsvSource({"500ms,PT0.5S", "30s,PT30S", "5m,PT5M", "1h30m,PT1H30M", "2h,PT2H", "PT30S,PT30S", "pt1m,PT1M",
        "90,PT1M30S", "0,PT0S", "1m500ms,PT1M0.5S"})
    void durationsInEveryWrittenForm(String written, String expected) {
        ClusterSpec spec = valid(PAIR + "probe:\n  url: http://198.51.100.10/\n  maxDowntime: " + written + "\n");
        assertThat(spec.probe().maxDowntime()).isEqualTo(Duration.parse(expected));
    }

    @ParameterizedTest
    @CsvSource({"-5s", "5 s", "1.5h", "5d", "PT-5S", "s", "''"})
    void durationsThatAreRefused(String written) {
        assertThat(Durations.parse(written)).isEmpty();
    }

    @Test
    void badNumberAndWrongTypes() {
        List<SpecError> errors = errorsOf(PAIR.replace("    host: 192.0.2.12", "    host: 192.0.2.12\n    port: twenty")
                + "policy:\n  maxUnavailable: 1.5\n  failback: maybe\n  approvals: [before-start]\n");
        assertThat(errors).containsExactly(
                error(7, 11, "nodes[1].port", "bad number 'twenty'", "write a whole number, e.g. 3"),
                error(11, 19, "policy.maxUnavailable", "bad number '1.5'", "write a whole number, e.g. 3"),
                error(12, 13, "policy.failback", "expected true or false, got 'maybe'", "write true or false"),
                error(13, 14, "policy.approvals", "expected a mapping, got a list", "write a mapping here"));
    }

    @Test
    void aMappingWhereAStringIsExpected() {
        SpecError e = onlyError(PAIR.replace("name: lb\n", "name:\n  first: lb\n"));
        assertThat(e).isEqualTo(error(2, 3, "name", "expected a string, got a mapping", ""));
    }

    @Test
    void aScalarWhereARecordWithoutShorthandIsExpected() {
        SpecError e = onlyError(PAIR + "policy: rolling\n");
        assertThat(e.path()).isEqualTo("policy");
        assertThat(e.message()).isEqualTo("expected a mapping, got 'rolling'");
        assertThat(e.hint()).startsWith("write the keys of this object indented under it: strategy, maxUnavailable");
    }

    @Test
    void duplicateKeyInOneMapping() {
        List<SpecError> errors = errorsOf(PAIR.replace("    host: 192.0.2.12", "    host: 192.0.2.12\n    host: 192.0.2.13"));
        assertThat(errors).containsExactly(error(7, 5, "nodes[1].host", "duplicate key 'host' (first at line 6)",
                "each key may appear once in a mapping; remove one of them"));
    }

    @Test
    void emptyFileAndCommentOnlyFile() {
        assertThat(errorsOf("")).containsExactly(error(1, 1, "", "the file is empty",
                "a cluster file is a mapping with at least 'name' and 'nodes'"));
        assertThat(errorsOf("# nothing here\n\n")).extracting(SpecError::message).containsExactly("the file is empty");
    }

    @Test
    void aFileThatIsNotAMapping() {
        assertThat(errorsOf("- name: lb\n")).containsExactly(error(1, 1, "", "expected a mapping at the top of the file, got a list",
                "a cluster file is a mapping that starts with keys such as 'name:' and 'nodes:'"));
        assertThat(errorsOf("just words\n")).extracting(SpecError::message)
                .containsExactly("expected a mapping at the top of the file, got 'just words'");
    }

    @Test
    void yamlSyntaxErrorIsPlaced() {
        SpecError e = onlyError("name: lb\nnodes:\n  - name: [lb1\n");
        assertThat(e.path()).isEmpty();
        assertThat(e.message()).startsWith("cannot parse YAML: ");
        assertThat(e.line()).isGreaterThanOrEqualTo(3);
        assertThat(e.hint()).isEqualTo("check indentation, ':' after keys and quotes near this place");
    }

    @Test
    void moreThanOneDocument() {
        SpecError e = onlyError(PAIR + "---\nname: other\n");
        assertThat(e.message()).isEqualTo("the file holds more than one document");
        assertThat(e.line()).isEqualTo(10);
    }

    @Test
    void severalErrorsAreAllReportedInFileOrder() {
        String yaml = """
                name: lb
                nodes:
                  - name: lb1
                    hots: 192.0.2.11
                  - name: lb2
                    host: 192.0.2.12
                    port: x
                commands:
                  upgrade:
                    - run: checkupgrades -i
                      timeout: soon
                policy:
                  strategy: blue-green
                """;
        List<SpecError> errors = errorsOf(yaml);
        assertThat(errors).extracting(SpecError::path).containsExactly(
                "nodes[0].host", "nodes[0].hots", "nodes[1].port", "commands.upgrade[0].timeout", "policy.strategy");
        assertThat(errors.get(1).hint()).startsWith("did you mean 'host'? ");
        SpecException failure = catchThrowableOfType(SpecException.class, () -> SpecLoader.parse(yaml, "lb.yaml"));
        assertThat(failure.getMessage()).startsWith("invalid cluster spec lb.yaml (5 errors)" + System.lineSeparator())
                .contains("lb.yaml:4:5: nodes[0].hots: unknown key 'hots'")
                .contains("lb.yaml:13:13: policy.strategy: unknown value 'blue-green'");
    }

    @Test
    void formatGivesFileLineColumnPathMessageAndHint() {
        SpecError e = new SpecError("lb.yaml", 12, 7, "nodes[1].name", "duplicate node name 'lb1' (first at line 8)",
                "node names must be unique");
        assertThat(e.format()).isEqualTo("lb.yaml:12:7: nodes[1].name: duplicate node name 'lb1' (first at line 8)"
                + System.lineSeparator() + "  hint: node names must be unique");
        assertThat(new SpecError("x.yaml", 0, 0, "", "no such file", "").format()).isEqualTo("x.yaml: no such file");
    }

    @Test
    void shorthandForms() {
        ClusterSpec spec = valid("""
                name: pcs
                profile: generic
                nodes:
                  - name: n1
                    host: 192.0.2.11
                  - name: n2
                    host: 192.0.2.12
                commands:
                  fence: pcs node standby ${node.name}
                  upgrade:
                    - dnf -y upgrade app
                    - run: systemctl restart app
                      timeout: 2m
                health:
                  node:
                    - name: http
                      http: http://${node.host}:8080/health
                    - name: proc
                      command: pgrep app
                probe: http://198.51.100.10/
                """);
        assertThat(spec.profile()).isEqualTo(new ProfileRef("generic", null));
        assertThat(spec.commands().fence()).containsExactly(CommandSpec.of("pcs node standby ${node.name}"));
        assertThat(spec.commands().upgrade()).extracting(CommandSpec::run, CommandSpec::timeout).containsExactly(
                tuple("dnf -y upgrade app", null), tuple("systemctl restart app", Duration.ofMinutes(2)));
        assertThat(spec.health().node().get(0).http().url()).isEqualTo("http://${node.host}:8080/health");
        assertThat(spec.health().node().get(1).command().run()).isEqualTo("pgrep app");
        assertThat(spec.probe().url()).isEqualTo("http://198.51.100.10/");
    }

    @Test
    void singleValueWhereAListIsExpected() {
        ClusterSpec spec = valid(PAIR + """
                  switchover:
                    run: pcs node standby ${node.name}
                    expectExit: 0
                    on: primary
                groups:
                  name: pair
                  members: lb1
                discovery:
                  role:
                    command: cat /var/run/keepalived.state
                    primaryPattern: MASTER
                policy:
                  approvals:
                    at: before-switchover
                """);
        assertThat(spec.commands().switchover()).hasSize(1);
        assertThat(spec.commands().switchover().get(0).on()).isEqualTo("primary");
        assertThat(spec.commands().switchover().get(0).expectExit()).containsExactly(0);
        assertThat(spec.groups()).containsExactly(new NodeGroup("pair", List.of("lb1"), null));
        assertThat(spec.policy().approvals().at()).containsExactly(ApprovalPoint.BEFORE_SWITCHOVER);
    }

    @Test
    void scalarsKeepTheirWrittenText() {
        ClusterSpec spec = valid(PAIR.replace("name: lb\n", "name: lb\ntargetVersion: 6.10\ncurrentVersion: 6.9\n")
                + "variables:\n  port: 8080\n  flag: true\n  quoted: \"x: y\"\n");
        assertThat(spec.targetVersion()).isEqualTo("6.10");
        assertThat(spec.currentVersion()).isEqualTo("6.9");
        assertThat(spec.variables()).containsExactly(Map.entry("port", "8080"), Map.entry("flag", "true"),
                Map.entry("quoted", "x: y"));
    }

    @Test
    void everyDefault() {
        ClusterSpec spec = valid(PAIR);
        assertThat(spec.profile()).isEqualTo(ProfileRef.DEFAULT);
        assertThat(spec.targetVersion()).isNull();
        assertThat(spec.groups()).isEmpty();
        assertThat(spec.variables()).isEmpty();
        assertThat(spec.probe()).isNull();
        assertThat(spec.discovery()).isEqualTo(Discovery.NONE);
        assertThat(spec.hooks()).isEqualTo(Hooks.NONE);

        SshSettings ssh = spec.ssh();
        assertThat(ssh.port()).isEqualTo(22);
        assertThat(ssh.user()).isNull();
        assertThat(ssh.knownHosts()).isEqualTo(new KnownHosts("~/.ssh/known_hosts", null, false));
        assertThat(ssh.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(ssh.keepAlive()).isEqualTo(Duration.ofSeconds(15));
        assertThat(ssh.connectRetries()).isEqualTo(2);
        assertThat(ssh.sudo()).isFalse();
        assertThat(ssh.parallelism()).isEqualTo(16);

        NodeSpec node = spec.nodes().get(0);
        assertThat(node.membership()).isEqualTo(Membership.MEMBER);
        assertThat(node.role()).isNull();
        assertThat(node.labels()).isEmpty();
        assertThat(node.commands()).isEqualTo(PhaseCommands.NONE);

        CommandSpec upgrade = spec.commands().upgrade().get(0);
        assertThat(upgrade.on()).isEqualTo("self");
        assertThat(upgrade.expectExit()).containsExactly(0);
        assertThat(upgrade.env()).isEmpty();
        assertThat(upgrade.timeout()).isNull();

        Health health = spec.health();
        assertThat(health.interval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(health.timeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(health.node()).isEmpty();

        UpgradePolicy policy = spec.policy();
        assertThat(policy.strategy()).isEqualTo(Strategy.ROLLING);
        assertThat(policy.maxUnavailable()).isEqualTo(1);
        assertThat(policy.onFailure()).isEqualTo(FailureAction.ABORT);
        assertThat(policy.failback()).isFalse();
        assertThat(policy.quorum()).isNull();
        assertThat(policy.trustDiscoveredRoles()).isFalse();
        assertThat(policy.retries()).isZero();
        assertThat(policy.timeouts()).isEqualTo(new Timeouts(Duration.ofMinutes(10), Duration.ofMinutes(10),
                Duration.ofMinutes(2), Duration.ofMinutes(15), Duration.ofHours(2)));
        Approvals approvals = policy.approvals();
        assertThat(approvals.timeout()).isEqualTo(Duration.ofHours(1));
        assertThat(approvals.onTimeout()).isEqualTo(TimeoutAction.ABORT);
        assertThat(approvals.requireOtherApprover()).isFalse();
        assertThat(approvals.pointsFor(Strategy.ACTIVE_PASSIVE)).containsExactly(ApprovalPoint.BEFORE_SWITCHOVER);
        assertThat(approvals.pointsFor(Strategy.CANARY)).containsExactly(ApprovalPoint.AFTER_FIRST_NODE);
        assertThat(approvals.pointsFor(Strategy.ROLLING)).isEmpty();
    }

    @Test
    void nestedDefaults() {
        ClusterSpec spec = valid(PAIR + """
                health:
                  node:
                    - name: tcp
                      tcp:
                        port: 5432
                    - name: http
                      http: https://${node.host}/
                  cluster:
                    - name: quorum
                      command: corosync-quorumtool -s
                probe: tcp://198.51.100.10:443
                groups:
                  - name: pair
                    members: [lb1, lb2]
                ssh:
                  jumpHost:
                    host: bastion.example.net
                """);
        TcpCheckSpec tcp = spec.health().node().get(0).tcp();
        assertThat(tcp.host()).isEqualTo("${node.host}");
        assertThat(tcp.timeout()).isEqualTo(Duration.ofSeconds(3));
        HttpCheckSpec http = spec.health().node().get(1).http();
        assertThat(http.status()).isEqualTo(200);
        assertThat(http.timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(spec.health().node().get(1).version()).isFalse();
        CommandCheckSpec command = spec.health().cluster().get(0).command();
        assertThat(command.expectExit()).containsExactly(0);
        assertThat(command.on()).isNull();
        assertThat(spec.probe().interval()).isEqualTo(Duration.ofMillis(100));
        assertThat(spec.probe().timeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(spec.groups().get(0).maxUnavailable()).isEqualTo(1);
        assertThat(spec.ssh().jumpHost().port()).isEqualTo(22);
    }

    @Test
    void jsonInputWithLocations() {
        String json = """
                {
                  "name": "lb",
                  "nodes": [
                    {"name": "lb1", "host": "192.0.2.11"},
                    {"name": "lb2", "host": "192.0.2.12", "rolle": "backup"}
                  ],
                  "commands": {"upgrade": "checkupgrades -i"},
                  "policy": {"maxUnavailable": 1, "strategy": "rolling"}
                }
                """;
        List<SpecError> errors = errorsOf(json, "lb.json");
        assertThat(errors).containsExactly(new SpecError("lb.json", 5, 43, "nodes[1].rolle", "unknown key 'rolle'",
                "did you mean 'role'? valid keys here: name, host, port, user, credentialsId, role, membership, "
                        + "hostKey, labels, commands"));
        ClusterSpec spec;
        try {
            spec = SpecLoader.parse(json.replace("\"rolle\"", "\"role\""), "lb.json");
        } catch (SpecException e) {
            throw new AssertionError(e.getMessage(), e);
        }
        assertThat(spec.nodes().get(1).role()).isEqualTo(Role.STANDBY);
        assertThat(spec.commands().upgrade()).containsExactly(CommandSpec.of("checkupgrades -i"));
    }

    @Test
    void jsonSyntaxError() {
        SpecError e = errorsOf("{\"name\": \"lb\",\n \"nodes\": [}\n", "x.json").get(0);
        assertThat(e.source()).isEqualTo("x.json");
        assertThat(e.line()).isEqualTo(2);
        assertThat(e.message()).startsWith("cannot parse JSON: ");
    }

    @Test
    void loadReadsAFileAndNamesItInErrors(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("lb.yaml");
        Files.writeString(file, PAIR);
        assertThat(SpecLoader.load(file).name()).isEqualTo("lb");

        Files.writeString(file, PAIR + "bogus: 1\n");
        SpecException failure = catchThrowableOfType(SpecException.class, () -> SpecLoader.load(file));
        assertThat(failure.errors()).extracting(SpecError::source).containsExactly(file.toString());

        Path missing = dir.resolve("missing.yaml");
        assertThat(catchThrowableOfType(SpecException.class, () -> SpecLoader.load(missing)).errors())
                .containsExactly(new SpecError(missing.toString(), 0, 0, "", "no such file",
                        "check the path (a relative path starts from the current directory)"));

        Path latin1 = dir.resolve("latin1.yaml");
        Files.write(latin1, (PAIR + "description: caf\u00e9\n").getBytes(StandardCharsets.ISO_8859_1));
        assertThat(catchThrowableOfType(SpecException.class, () -> SpecLoader.load(latin1)).errors())
                .extracting(SpecError::message).containsExactly("the file is not UTF-8 text");
    }

    @Test
    void errorsInsideListsOfCommandsCarryTheFullPath() {
        String yaml = PAIR.replace("    host: 192.0.2.12", """
                    host: 192.0.2.12
                    commands:
                      fence:
                        - run: pcs node standby ${node.name}
                          retries: many
                """.stripTrailing());
        SpecError e = onlyError(yaml);
        assertThat(e).isEqualTo(error(10, 20, "nodes[1].commands.fence[0].retries", "bad number 'many'",
                "write a whole number, e.g. 3"));
    }

    @Test
    void emptyListItemAndEmptyMapValue() {
        List<SpecError> errors = errorsOf(PAIR + "  fence:\n    -\n    - echo\nvariables:\n  a:\n");
        assertThat(errors).containsExactly(
                error(10, 6, "commands.fence[0]", "empty list item", "remove the '-' or write a value after it"),
                error(13, 3, "variables.a", "no value for 'a'", "write a value after the ':', or \"\" for an empty string"));
    }

    @Test
    void yamlAnchorsAliasesAndMergeKeys() {
        ClusterSpec spec = valid(PAIR + """
                  verify: &check
                    run: systemctl is-active app
                    timeout: 30s
                  unfence: *check
                  fence:
                    <<: *check
                    run: systemctl stop app
                """);
        assertThat(spec.commands().unfence()).isEqualTo(spec.commands().verify());
        assertThat(spec.commands().fence().get(0).run()).isEqualTo("systemctl stop app");
        assertThat(spec.commands().fence().get(0).timeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void unknownAliasAndAliasExpansionLimit() {
        assertThat(onlyError(PAIR + "  fence: *nothing\n")).isEqualTo(error(9, 10, "commands.fence",
                "unknown alias '*nothing'",
                "define '&nothing' on a mapping or list before this point (anchors on single values are not supported)"));
        StringBuilder bomb = new StringBuilder("name: bomb\nx0: &a0 [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\n");
        for (int i = 1; i < 10; i++) {
            bomb.append("x").append(i).append(": &a").append(i).append(" [");
            bomb.append(String.join(", ", java.util.Collections.nCopies(10, "*a" + (i - 1)))).append("]\n");
        }
        SpecError e = errorsOf(bomb.toString()).get(0);
        assertThat(e.message()).isEqualTo("the file expands to more than 100000 values through YAML aliases");
    }

    @Test
    void byteOrderMarkIsIgnored() {
        assertThat(valid("\uFEFF" + PAIR).name()).isEqualTo("lb");
    }
}
