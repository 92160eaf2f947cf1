package io.haupgrade.spec;

import static io.haupgrade.spec.SpecAssertions.PAIR;
import static io.haupgrade.spec.SpecAssertions.error;
import static io.haupgrade.spec.SpecAssertions.errorsOf;
import static io.haupgrade.spec.SpecAssertions.onlyError;
import static io.haupgrade.spec.SpecAssertions.valid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What a spec means: every rule of the validator, each error placed where the offending value was written. */
class SpecValidatorTest {

    private static final String THREE = """
            name: raft
            nodes:
              - name: one
                host: 192.0.2.21
              - name: two
                host: 192.0.2.22
              - name: three
                host: 192.0.2.23
            discovery:
              role:
                command: onezone show 0 | grep -c LEADER
                primaryPattern: '^1$'
            commands:
              upgrade: apt-get install -y opennebula=${targetVersion}
              switchover: onezone server-reset 0 ${peer.name}
            """;

    @Test
    void duplicateNodeNameNamesTheFirstLine() {
        SpecError e = onlyError(PAIR.replace("name: lb2", "name: lb1"));
        assertThat(e).isEqualTo(error(5, 11, "nodes[1].name", "duplicate node name 'lb1' (first at line 3)",
                "node names must be unique: commands, groups and reports name nodes by them"));
    }

    @Test
    void groupMemberThatIsNotANode() {
        SpecError e = onlyError(PAIR + "groups:\n  - name: pair\n    members: [lb1, lb3]\n    maxUnavailable: 0\n"
                .replace("    maxUnavailable: 0\n", ""));
        assertThat(e).isEqualTo(error(11, 20, "groups[0].members[1]", "'lb3' is not a node",
                "did you mean 'lb1'? nodes: lb1, lb2"));
    }

    @Test
    void groupThatAllowsNoNodeDown() {
        SpecError e = onlyError(PAIR + "groups:\n  - name: pair\n    members: [lb1, lb2]\n    maxUnavailable: 0\n");
        assertThat(e).isEqualTo(error(12, 21, "groups[0].maxUnavailable", "maxUnavailable must be at least 1, got 0",
                "a group that allows no member down can never be upgraded"));
    }

    @Test
    void twoPrimaries() {
        String yaml = PAIR.replace("host: 192.0.2.11", "host: 192.0.2.11\n    role: primary")
                .replace("host: 192.0.2.12", "host: 192.0.2.12\n    role: master")
                + "  switchover: keepalived-priority ${peer.name}\n";
        assertThat(onlyError(yaml)).isEqualTo(error(8, 11, "nodes[1].role",
                "more than one node declared primary: 'lb1' (at line 5) and 'lb2'",
                "declare one primary and the others standby, or leave roles out and set discovery.role"));
    }

    @Test
    void onTargetMustBeAKeywordOrANodeName() {
        SpecError e = onlyError(PAIR + "  fence:\n    run: systemctl stop zeninotify\n    on: primry\n");
        assertThat(e).isEqualTo(error(11, 9, "commands.fence[0].on", "unknown target 'primry'",
                "did you mean 'primary'? write self, primary, peer (switchover, failback), others, all, or a node name "
                        + "(lb1, lb2)"));
        valid(PAIR + "  fence:\n    run: systemctl stop zeninotify\n    on: lb2\n");
    }

    @Test
    void healthCheckRunsOnOneNodeNotOnAll() {
        String yaml = PAIR + "health:\n  cluster:\n    - name: quorum\n      command:\n        run: corosync-quorumtool -s\n"
                + "        on: all\n";
        SpecError e = onlyError(yaml);
        assertThat(e.path()).isEqualTo("health.cluster[0].command.on");
        assertThat(e.message()).isEqualTo("a health check runs on one node, not on 'all'");
        assertThat(e.hint()).contains("move it under health.node");
        valid(yaml.replace("on: all", "on: primary"));
    }

    @Test
    void onPeerOnlyInSwitchoverAndFailback() {
        valid(PAIR + "  switchover:\n    run: raise-priority\n    on: peer\n"
                + "  failback:\n    run: lower-priority\n    on: peer\n");
        SpecError fence = onlyError(PAIR + "  fence:\n    run: systemctl stop keepalived\n    on: peer\n");
        assertThat(fence).isEqualTo(error(11, 9, "commands.fence[0].on",
                "'on: peer' has no node here: the peer is the other side of a switchover or failback",
                "use peer only in switchover and failback commands; elsewhere write self, primary, others, all, "
                        + "or a node name"));
        assertThat(onlyError(PAIR + "health:\n  node:\n    - name: vrrp\n      command:\n        run: true\n"
                + "        on: peer\n").path()).isEqualTo("health.node[0].command.on");
        assertThat(onlyError(PAIR + "hooks:\n  afterAll:\n    - run: true\n      on: peer\n").path())
                .isEqualTo("hooks.afterAll[0].on");
        assertThat(onlyError(PAIR.replace("name: lb2", "name: peer")).message())
                .isEqualTo("node name 'peer' is a reserved word of 'on'");
    }

    @Test
    void unknownVariableWithDidYouMean() {
        SpecError e = onlyError(PAIR.replace("checkupgrades -i", "checkupgrades -i ${node.nmae}"));
        assertThat(e).isEqualTo(error(8, 12, "commands.upgrade[0].run", "unknown variable ${node.nmae}",
                "did you mean ${node.name}? to pass ${node.nmae} to the shell, write $${node.nmae}"));
    }

    @Test
    void shellVariablesMustBeEscaped() {
        SpecError e = onlyError(PAIR.replace("checkupgrades -i", "echo ${HOME}"));
        assertThat(e.message()).isEqualTo("unknown variable ${HOME}");
        assertThat(e.hint()).isEqualTo("to pass ${HOME} to the shell, write $${HOME}");
        valid(PAIR.replace("checkupgrades -i", "echo $${HOME} $HOME $(hostname)"));
    }

    @Test
    void unclosedVariable() {
        SpecError e = onlyError(PAIR.replace("checkupgrades -i", "echo ${node.name"));
        assertThat(e.path()).isEqualTo("commands.upgrade[0].run");
        assertThat(e.message()).isEqualTo("'${' at position 6 is not closed by '}' in 'echo ${node.name'; write $${ for a literal ${");
    }

    @Test
    void ownVariablesAndLabels() {
        String yaml = PAIR.replace("host: 192.0.2.11", "host: 192.0.2.11\n    labels: {rack: r1}")
                .replace("checkupgrades -i", "install ${var.pakage} --rack ${node.label.rack}")
                + "variables:\n  package: app.deb\n";
        List<SpecError> errors = errorsOf(yaml);
        assertThat(errors).containsExactly(
                error(9, 12, "commands.upgrade[0].run", "unknown variable ${var.pakage}",
                        "did you mean ${var.package}? declare it under 'variables:'"),
                error(9, 12, "commands.upgrade[0].run", "${node.label.rack} has no value for node lb2: no label 'rack'",
                        "add 'labels: {rack: ...}' to that node"));
        valid(yaml.replace("pakage", "package").replace("host: 192.0.2.12", "host: 192.0.2.12\n    labels: {rack: r2}"));
    }

    @Test
    void nodeVariablesHaveNoValueInClusterWideHooks() {
        SpecError e = onlyError(PAIR + "hooks:\n  beforeAll: zsha2 disable-vm-ha ${node.name}\n");
        assertThat(e).isEqualTo(error(10, 14, "hooks.beforeAll[0].run",
                "${node.name} has no value here: this runs once for the cluster, not for a node",
                "use ${primary.name} or ${cluster.name}, or move the command to hooks.beforeNode or hooks.afterNode"));
        valid(PAIR + "hooks:\n  beforeNode: echo ${node.name} ${cluster.name}\n");
    }

    @Test
    void peerOnlyInSwitchoverAndFailback() {
        SpecError e = onlyError(PAIR + "  fence: block-ssh-from ${peer.host}\n");
        assertThat(e.path()).isEqualTo("commands.fence[0].run");
        assertThat(e.message()).isEqualTo("${peer.host} has no value here: the peer is the other side of a switchover or failback");
    }

    @Test
    void primaryAndCurrentVersionNeedASource() {
        List<SpecError> errors = errorsOf(PAIR + "  verify: check ${primary.host} ${currentVersion}\n");
        assertThat(errors).extracting(SpecError::message).containsExactly(
                "${primary.host} has no value: no node is declared primary and discovery.role is not set",
                "${currentVersion} has no value: neither currentVersion nor discovery.version is set");
        valid(PAIR.replace("name: lb\n", "name: lb\ncurrentVersion: 6.0\n")
                .replace("host: 192.0.2.11", "host: 192.0.2.11\n    role: primary")
                + "  verify: check ${primary.host} ${currentVersion}\n  switchover: promote ${peer.name}\n");
    }

    @Test
    void variablesInEnvHealthChecksAndProbe() {
        List<SpecError> errors = errorsOf(PAIR + """
                  verify:
                    run: ./check
                    env:
                      TARGET: ${targetVersoin}
                      2BAD: x
                health:
                  node:
                    - name: web
                      http: http://${node.hots}/
                  cluster:
                    - name: tcp
                      tcp: {host: '${node.host}', port: 70000}
                probe: http://${node.host}/
                """);
        assertThat(errors).extracting(SpecError::path, SpecError::message).containsExactly(
                tuple("commands.verify[0].env.TARGET", "unknown variable ${targetVersoin}"),
                tuple("commands.verify[0].env.2BAD", "'2BAD' is not a valid environment variable name"),
                tuple("health.node[0].http.url", "unknown variable ${node.hots}"),
                tuple("health.cluster[0].tcp.host",
                        "${node.host} has no value here: this runs once for the cluster, not for a node"),
                tuple("health.cluster[0].tcp.port", "port 70000 is not between 1 and 65535"),
                tuple("probe.url",
                        "${node.host} has no value here: this runs once for the cluster, not for a node"));
        assertThat(errors.get(0).hint()).startsWith("did you mean ${targetVersion}? ");
    }

    @Test
    void rollingNeedsUpgradeEverywhere() {
        SpecError e = onlyError(PAIR.replace("commands:\n  upgrade: checkupgrades -i\n", "description: pair\n"));
        assertThat(e).isEqualTo(error(1, 1, "commands.upgrade", "strategy rolling needs upgrade commands",
                "write commands.upgrade (for every node), or upgrade under each node's commands"));
    }

    @Test
    void aNodeWithoutUpgradeWhenOthersHaveOwn() {
        String yaml = PAIR.replace("commands:\n  upgrade: checkupgrades -i\n", "")
                .replace("host: 192.0.2.11", "host: 192.0.2.11\n    commands:\n      upgrade: checkupgrades -i");
        SpecError e = onlyError(yaml);
        assertThat(e).isEqualTo(error(7, 5, "nodes[1].commands.upgrade",
                "strategy rolling needs upgrade commands; node 'lb2' has none",
                "write upgrade under the commands of node 'lb2' or in commands.upgrade"));
    }

    @Test
    void switchoverNeededOnlyWhenAPrimaryCanExist() {
        String withPrimary = PAIR.replace("host: 192.0.2.11", "host: 192.0.2.11\n    role: primary");
        SpecError e = onlyError(withPrimary);
        assertThat(e.path()).isEqualTo("commands.switchover");
        assertThat(e.message()).isEqualTo(
                "strategy rolling needs switchover commands: the primary is handed over before it is upgraded");
        valid(PAIR);
        valid(withPrimary.replace("host: 192.0.2.11", "host: 192.0.2.11\n    commands:\n      switchover: handover ${peer.name}"));
        assertThat(errorsOf(THREE.replace("  switchover: onezone server-reset 0 ${peer.name}\n", "")))
                .extracting(SpecError::path).containsExactly("commands.switchover");
    }

    @Test
    void replaceNeedsIncomingJoinAndLeave() {
        List<SpecError> errors = errorsOf(PAIR + "policy:\n  strategy: replace\n");
        assertThat(errors).extracting(SpecError::path, SpecError::message).containsExactly(
                tuple("nodes", "strategy replace needs at least one node with 'membership: incoming'"),
                tuple("commands.leave", "strategy replace needs leave commands for the old nodes"));
        valid(PAIR.replace("host: 192.0.2.12", "host: 192.0.2.12\n    membership: incoming")
                + "  join: onezone server-add 0 --name ${node.name}\n  leave: onezone server-del 0 ${node.name}\n"
                + "policy:\n  strategy: replace\n");
    }

    @Test
    void incomingNodesOnlyInAReplaceRollout() {
        SpecError e = onlyError(PAIR.replace("host: 192.0.2.12", "host: 192.0.2.12\n    membership: incoming")
                .replace("name: lb2", "name: lb2").replace("  - name: lb1", "  - name: lb0\n    host: 192.0.2.10\n  - name: lb1"));
        assertThat(e.path()).isEqualTo("nodes[2].membership");
        assertThat(e.message()).isEqualTo("node 'lb2' is incoming, which only a replace rollout uses");
    }

    @Test
    void fullStopNeedsStopUpgradeStart() {
        List<SpecError> errors = errorsOf(PAIR.replace("commands:\n  upgrade: checkupgrades -i\n", "")
                + "policy:\n  strategy: full-stop\n  maxUnavailable: 2\n");
        assertThat(errors).extracting(SpecError::message).containsExactly(
                "strategy full-stop needs stop commands", "strategy full-stop needs upgrade commands",
                "strategy full-stop needs start commands");
    }

    @Test
    void failbackNeedsCommands() {
        SpecError e = onlyError(PAIR + "policy:\n  failback: true\n");
        assertThat(e.path()).isEqualTo("commands.failback");
        assertThat(e.message()).isEqualTo("policy.failback is true, which needs failback commands");
    }

    @Test
    void maxUnavailableLimits() {
        assertThat(onlyError(PAIR + "policy:\n  maxUnavailable: 0\n")).isEqualTo(error(10, 19, "policy.maxUnavailable",
                "maxUnavailable must be at least 1, got 0", "1 upgrades one node at a time"));
        assertThat(onlyError(PAIR + "policy:\n  maxUnavailable: 2\n")).isEqualTo(error(10, 19, "policy.maxUnavailable",
                "maxUnavailable 2 would take down all 2 nodes at once",
                "at most 1 for strategy rolling; use strategy full-stop to stop everything on purpose"));
    }

    @Test
    void theLockOutlastsTheLongestApprovalWait() {
        String approvals = "policy:\n  approvals:\n    at: [after-first-node]\n    timeout: 2h\n  timeouts:\n"
                + "    lock: 1h30m\n";
        assertThat(onlyError(PAIR + approvals)).isEqualTo(error(14, 11, "policy.timeouts.lock",
                "the cluster lock expires after 1h30m, no later than an approval may wait (policy.approvals.timeout "
                        + "2h); nothing renews the lock while the run waits for a person, so another run could take "
                        + "the cluster over",
                "set policy.timeouts.lock above 2h, e.g. 4h"));
        // A failure that waits for a person (the default wait, 1h) is such a wait too.
        assertThat(onlyError(PAIR + "policy:\n  onFailure: pause\n  timeouts:\n    lock: 30m\n").path())
                .isEqualTo("policy.timeouts.lock");
        // Without approvals nothing waits for a person: a short lock is fine.
        valid(PAIR + "policy:\n  timeouts:\n    lock: 30m\n");
        valid(PAIR + approvals.replace("lock: 1h30m", "lock: 2h1m"));
    }

    @Test
    void quorumStacksKeepAStrictMajority() {
        valid(THREE + "policy:\n  quorum: true\n");
        SpecError e = onlyError(THREE.replace("  - name: three\n    host: 192.0.2.23\n",
                "  - name: three\n    host: 192.0.2.23\n  - name: four\n    host: 192.0.2.24\n")
                + "policy:\n  quorum: true\n  maxUnavailable: 2\n");
        assertThat(e).isEqualTo(error(20, 19, "policy.maxUnavailable",
                "maxUnavailable 2 leaves 2 of 4 members up, not a strict majority (policy.quorum is true)",
                "at most 1 with 4 members"));
        SpecError pair = onlyError(PAIR + "policy:\n  quorum: true\n");
        assertThat(pair.message()).isEqualTo("maxUnavailable 1 leaves 1 of 2 members up, not a strict majority (policy.quorum is true)");
        assertThat(pair.hint()).startsWith("a quorum stack of 2 members cannot lose one;");
        assertThat(pair.line()).as("not written: placed at the policy mapping").isEqualTo(10);
    }

    @Test
    void healthCheckMustHaveExactlyOneKind() {
        List<SpecError> errors = errorsOf(PAIR + """
                health:
                  node:
                    - name: nothing
                    - name: both
                      command: pgrep app
                      http: http://${node.host}/
                """);
        assertThat(errors).containsExactly(
                error(11, 7, "health.node[0]", "health check 'nothing' checks nothing",
                        "write exactly one of command, http, tcp, version"),
                error(12, 7, "health.node[1]", "health check 'both' has command and http",
                        "write exactly one of command, http, tcp, version; split it into 2 checks"));
    }

    @Test
    void versionCheckAndExactlyOnePrimaryNeedDiscovery() {
        List<SpecError> errors = errorsOf(PAIR + "health:\n  exactlyOnePrimary: true\n  node:\n    - name: v\n      version: true\n");
        assertThat(errors).containsExactly(
                error(10, 22, "health.exactlyOnePrimary", "exactlyOnePrimary needs discovery.role to find the primary",
                        "add discovery.role (a command and the pattern of a primary's output), or remove exactlyOnePrimary"),
                error(13, 16, "health.node[0].version", "a version check needs discovery.version",
                        "add discovery.version with a command that prints the node's version"));
    }

    @Test
    void probeUrlScheme() {
        assertThat(onlyError(PAIR + "probe: ftp://198.51.100.10/\n")).isEqualTo(error(9, 8, "probe.url",
                "probe URL 'ftp://198.51.100.10/' is not http://, https:// or tcp://host:port",
                "write e.g. http://198.51.100.10/ or tcp://198.51.100.10:5432"));
        assertThat(onlyError(PAIR + "probe: tcp://198.51.100.10\n").path()).isEqualTo("probe.url");
        valid(PAIR + "probe: tcp://198.51.100.10:5432\n");
        valid(PAIR + "probe: HTTPS://lb.example.net/health\n");
        assertThat(onlyError(PAIR + "health:\n  node:\n    - name: h\n      http: ftp://${node.host}/\n").message())
                .isEqualTo("URL 'ftp://${node.host}/' is not http:// or https://");
    }

    @Test
    void regularExpressionsMustCompile() {
        List<SpecError> errors = errorsOf(THREE.replace("'^1$'", "'(1'") + """
                health:
                  node:
                    - name: c
                      command:
                        run: echo ok
                        outputMatches: '[ok'
                """);
        assertThat(errors).extracting(SpecError::path).containsExactly(
                "discovery.role.primaryPattern", "health.node[0].command.outputMatches");
        assertThat(errors.get(0).message()).isEqualTo("bad regular expression '(1': Unclosed group near index 2");
    }

    @Test
    void regularExpressionsTakeNoVariables() {
        SpecError e = onlyError(PAIR + "health:\n  node:\n    - name: c\n      command:\n        run: crm_mon -1\n"
                + "        outputMatches: 'Online:.*${node.name}'\n");
        assertThat(e).isEqualTo(error(14, 24, "health.node[0].command.outputMatches",
                "regular expressions take no ${...} variables: 'Online:.*${node.name}'",
                "match the value in the command instead, e.g. run: ... | grep -qw ${node.name}"));
    }

    @Test
    void anUnknownProfileIsRefusedWithTheAvailableOnes() {
        assertThat(onlyError(PAIR + "profile: pacemakr\n")).isEqualTo(error(9, 10, "profile.name",
                "profile 'pacemakr' is not available; available: generic, keepalived, pacemaker, kubernetes, raft",
                "did you mean 'pacemaker'? or name a profile file of your own, e.g. ./profiles/pacemakr.yaml"));
        assertThat(onlyError(PAIR + "profile:\n  name: keepalived\n  settings: {vip: 192.0.2.10, priority: 100}\n").path())
                .isEqualTo("profile.settings.priority");
    }

    @Test
    void theClusterNeedsNodes() {
        SpecError e = onlyError("name: empty\nnodes: []\n");
        assertThat(e).isEqualTo(error(2, 8, "nodes", "the cluster has no nodes",
                "list the nodes under 'nodes:', each with a name and a host"));
    }

    @Test
    void manyProblemsReportedTogether() {
        String yaml = """
                name: lb
                profile: generic
                nodes:
                  - name: lb1
                    host: 192.0.2.11
                    role: primary
                  - name: lb1
                    host: 192.0.2.12
                    role: primary
                commands:
                  upgrade: checkupgrades -i ${verison}
                  fence: {run: stop-sync, on: mastr}
                policy:
                  maxUnavailable: 5
                """;
        assertThat(errorsOf(yaml)).extracting(SpecError::line, SpecError::path).containsExactly(
                tuple(7, "nodes[1].name"),
                tuple(9, "nodes[1].role"),
                tuple(11, "commands.switchover"),
                tuple(11, "commands.upgrade[0].run"),
                tuple(12, "commands.fence[0].on"),
                tuple(14, "policy.maxUnavailable"));
    }

    @Test
    void targetVersionFromTheFileOrTheCommandLine() throws SpecException {
        ClusterSpec withoutVersion = valid(PAIR);
        SpecException failure = catchThrowableOfType(SpecException.class,
                () -> SpecValidator.requireTargetVersion(withoutVersion, null, "lb.yaml"));
        assertThat(failure.errors()).containsExactly(new SpecError("lb.yaml", 0, 0, "targetVersion",
                "no target version: the file does not say which version to upgrade to",
                "write 'targetVersion: <version>' in the cluster file or pass --target-version <version>"));
        assertThat(SpecValidator.requireTargetVersion(withoutVersion, " 6.1.2 ", "lb.yaml").targetVersion()).isEqualTo("6.1.2");
        ClusterSpec withVersion = valid(PAIR + "targetVersion: 6.1.1\n");
        assertThat(SpecValidator.requireTargetVersion(withVersion, "", "lb.yaml").targetVersion()).isEqualTo("6.1.1");
        assertThat(SpecValidator.requireTargetVersion(withVersion, "6.2", "lb.yaml").targetVersion()).isEqualTo("6.2");
    }

    @Test
    void validateASpecBuiltInCode() {
        ClusterSpec spec = valid(PAIR);
        assertThat(SpecValidator.validate(spec)).isEmpty();
        ClusterSpec fullStop = new ClusterSpec(spec.name(), null, null, null, null, null, spec.nodes(), null, null,
                spec.commands(), null, null, null, spec.policy().withStrategy(Strategy.FULL_STOP), null, null);
        assertThat(SpecValidator.validate(fullStop)).extracting(SpecError::format).containsExactly(
                "<lb>: commands.stop: strategy full-stop needs stop commands" + System.lineSeparator()
                        + "  hint: write commands.stop (for every node), or stop under each node's commands",
                "<lb>: commands.start: strategy full-stop needs start commands" + System.lineSeparator()
                        + "  hint: write commands.start (for every node), or start under each node's commands");
    }

    @Test
    void groupsAreUniqueAndListMembersOnce() {
        List<SpecError> errors = errorsOf(PAIR + """
                groups:
                  - name: pair
                    members: [lb1, lb1]
                  - name: pair
                    members: [lb2]
                """);
        assertThat(errors).containsExactly(
                error(11, 20, "groups[0].members[1]", "'lb1' is listed twice in group 'pair'", "list each member once"),
                error(12, 11, "groups[1].name", "duplicate group name 'pair' (first at line 10)", "group names must be unique"));
    }

    @Test
    void hostKeysAndKnownHosts() {
        List<SpecError> errors = errorsOf(PAIR.replace("host: 192.0.2.11", "host: 192.0.2.11\n    hostKey: MD5:aa:bb")
                + "ssh:\n  knownHosts:\n    acceptNew: true\n");
        assertThat(errors).containsExactly(
                error(5, 14, "nodes[0].hostKey", "'MD5:aa:bb' is not a SHA256 host key fingerprint",
                        "write it as ssh-keygen -lf shows it: SHA256: and 43 base64 characters"),
                error(12, 5, "ssh.knownHosts", "knownHosts names neither a file nor text to check host keys against",
                        "write file: ~/.ssh/known_hosts, or the known_hosts lines under text:"));
        valid(PAIR.replace("host: 192.0.2.11", "host: 192.0.2.11\n    hostKey: SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU"));
    }

    @Test
    void compatibilityVersionsAreDotted() {
        List<SpecError> errors = errorsOf(PAIR + """
                compatibility:
                  minimumMixedVersion: six
                  rules:
                    - jump: major
                      from: 5.x
                      strategies: []
                """);
        assertThat(errors).extracting(SpecError::path, SpecError::message).containsExactly(
                tuple("compatibility.minimumMixedVersion", "'six' is not a dotted version"),
                tuple("compatibility.rules[0].from", "'5.x' is not a dotted version"),
                tuple("compatibility.rules[0].strategies", "a rule with no strategy forbids every upgrade of this kind"));
    }

    @Test
    void waitsMustBeLongerThanZero() {
        List<SpecError> errors = errorsOf(PAIR + """
                health:
                  interval: 0s
                policy:
                  timeouts:
                    reboot: 0
                  approvals:
                    timeout: PT0S
                """);
        assertThat(errors).extracting(SpecError::path, SpecError::message).containsExactly(
                tuple("health.interval", "must be longer than 0"),
                tuple("policy.timeouts.reboot", "must be longer than 0"),
                tuple("policy.approvals.timeout", "must be longer than 0"));
        assertThat(errors.get(0).line()).isEqualTo(10);
    }

    @Test
    void requiredFieldsLeftNullInCodeAreReportedFirst() {
        NodeSpec noHost = new NodeSpec("lb1", null, null, null, null, null, null, null, null,
                new PhaseCommands(null, List.of(CommandSpec.of(null)), null, null, null, null, null, null, null, null,
                        null, null, null, null));
        ClusterSpec spec = new ClusterSpec("lb", null, null, null, null, null, List.of(noHost), null, null, null, null,
                null, null, null, null, null);
        assertThat(SpecValidator.validate(spec)).extracting(SpecError::path, SpecError::message).containsExactly(
                tuple("nodes[0].host", "missing required key 'host'"),
                tuple("nodes[0].commands.fence[0].run", "missing required key 'run'"));
    }

    @Test
    void nodeRoleAndUserNeedASource() {
        List<SpecError> errors = errorsOf(PAIR.replace("host: 192.0.2.11", "host: 192.0.2.11\n    role: standby")
                + "  verify: echo ${node.role} ${node.user}\n");
        assertThat(errors).extracting(SpecError::message).containsExactly(
                "${node.role} has no value for nodes without a declared role: lb2",
                "${node.user} has no value: neither ssh.user nor the user of every node is set");
        valid(PAIR + "  verify: echo ${node.role} ${node.user}\n  switchover: promote ${peer.name}\nssh:\n  user: root\n"
                + "discovery:\n  role: {command: cat /run/role, primaryPattern: MASTER}\n");
    }
}
