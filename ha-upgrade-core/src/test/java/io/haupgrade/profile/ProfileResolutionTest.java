package io.haupgrade.profile;

import static io.haupgrade.profile.ProfileSpecs.cluster;
import static io.haupgrade.profile.ProfileSpecs.load;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.haupgrade.spec.ClusterSpec;
import io.haupgrade.spec.CommandSpec;
import io.haupgrade.spec.HealthCheckSpec;
import io.haupgrade.spec.SpecError;
import io.haupgrade.spec.SpecException;
import io.haupgrade.spec.SpecLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a cluster file and its profile make the effective spec, and where errors about either are placed. */
class ProfileResolutionTest {
    @TempDir
    Path dir;

    private static List<SpecError> errorsOf(String yaml) {
        SpecException failure = catchThrowableOfType(SpecException.class, () -> SpecLoader.parse(yaml, "cluster.yaml"));
        assertThat(failure).as("expected an invalid spec").isNotNull();
        return failure.errors();
    }

    @Test
    void aPhaseWrittenInTheFileReplacesOnlyThatPhase() {
        ClusterSpec spec = load(cluster("profile: {name: pacemaker, settings: {resource: web, dialect: pcs}}")
                + "  fence: /usr/local/sbin/my-fence ${node.name}\n");
        assertThat(spec.commands().fence()).extracting(CommandSpec::run).containsExactly("/usr/local/sbin/my-fence ${node.name}");
        assertThat(spec.commands().unfence()).extracting(CommandSpec::run).containsExactly("pcs node unstandby ${node.name}");
        assertThat(spec.commands().switchover()).hasSize(2);
        assertThat(spec.commands().upgrade()).extracting(CommandSpec::run).containsExactly("apt-get install -y app");
    }

    @Test
    void healthChecksAreTheFilesThenTheProfiles() {
        ClusterSpec spec = load(cluster("profile: {name: keepalived, settings: {vip: 198.51.100.10}}")
                + "health:\n  node:\n    - name: app\n      command: systemctl is-active app\n  timeout: 2m\n");
        assertThat(spec.health().node()).extracting(HealthCheckSpec::name).containsExactly("app", "keepalived running");
        assertThat(spec.health().cluster()).extracting(HealthCheckSpec::name).containsExactly("service through the VIP");
        assertThat(spec.health().exactlyOnePrimary()).isTrue();
        assertThat(spec.health().timeout()).hasMinutes(2);
        assertThat(spec.discovery().role().primaryPattern()).isEqualTo("^vip-holder$");
    }

    @Test
    void theFilesDiscoveryAndQuorumWin() {
        ClusterSpec spec = load(cluster("profile: raft") + """
                discovery:
                  role: {command: 'onezone show 0 | grep -w ${node.name}', primaryPattern: leader}
                policy: {quorum: false}
                """);
        assertThat(spec.discovery().role().primaryPattern()).isEqualTo("leader");
        assertThat(spec.policy().quorum()).isFalse();
        assertThat(load(cluster("profile: raft")).policy().quorum()).isTrue();
    }

    @Test
    void settingsReachCommandsAsVariablesAndTheFileMayUseThem() {
        ClusterSpec spec = load(cluster("profile: {name: keepalived, settings: {vip: 198.51.100.10}}")
                + "  verify: curl -fsS http://${setting.vip}/health\n");
        assertThat(ProfileSpecs.rendered(spec, io.haupgrade.spec.Phase.VERIFY, "n1", null, null))
                .containsExactly("curl -fsS http://198.51.100.10/health");
        assertThat(spec.profile().settings()).containsEntry("interface", "eth0").containsEntry("vip", "198.51.100.10");
    }

    @Test
    void anUnknownSettingIsPlacedWhereItIsWrittenWithASuggestion() {
        List<SpecError> errors = errorsOf(cluster("profile: {name: keepalived, settings: {vip: 198.51.100.10, interfce: ens3}}"));
        assertThat(errors).containsExactly(new SpecError("cluster.yaml", 3, 70, "profile.settings.interfce",
                "unknown setting 'interfce' of profile keepalived", "did you mean 'interface'? settings: vip, interface, "
                        + "configFile, pidFile, unit, highPriority, seamless, syncBlock, syncStop, serviceCheck, servicePort, "
                        + "backendHeader"));
    }

    @Test
    void anUnknownSettingVariableGetsASuggestion() {
        SpecError error = errorsOf(cluster("profile: {name: keepalived, settings: {vip: 198.51.100.10}}")
                + "  verify: curl http://${setting.vipp}/\n").get(0);
        assertThat(error.path()).isEqualTo("commands.verify[0].run");
        assertThat(error.line()).isEqualTo(13);
        assertThat(error.message()).startsWith("unknown setting ${setting.vipp}: profile keepalived has the settings vip, ");
        assertThat(error.hint()).startsWith("did you mean ${setting.vip}? ");
    }

    @Test
    void aValueOutsideTheChoicesAndAMissingSetting() {
        assertThat(errorsOf(cluster("profile: {name: pacemaker, settings: {resource: web, dialect: pcz}}"))).containsExactly(
                new SpecError("cluster.yaml", 3, 63, "profile.settings.dialect", "'pcz' is not a choice of setting 'dialect'",
                        "did you mean 'pcs'? choices: auto, pcs, crmsh"));
        SpecError missing = errorsOf(cluster("profile: keepalived")).get(0);
        assertThat(missing.path()).isEqualTo("profile");
        assertThat(missing.line()).isEqualTo(3);
        assertThat(missing.message()).startsWith("profile keepalived needs setting 'vip': The virtual IP address");
        assertThat(missing.hint()).isEqualTo("write it under profile.settings, e.g. settings: {vip: 198.51.100.10}");
    }

    @Test
    void anUnknownProfileAndAnUnsupportedStrategy() {
        SpecError unknown = errorsOf(cluster("profile: pacemakr")).get(0);
        assertThat(unknown.message()).isEqualTo("profile 'pacemakr' is not available; available: generic, keepalived, "
                + "pacemaker, kubernetes, raft");
        assertThat(unknown.hint()).startsWith("did you mean 'pacemaker'? ");
        SpecError strategy = errorsOf(cluster("profile: {name: kubernetes, settings: {kubectlNode: n1}}") + "policy: {strategy: active-passive}\n").get(0);
        assertThat(strategy).isEqualTo(new SpecError("cluster.yaml", 13, 20, "policy.strategy",
                "profile kubernetes does not support strategy active-passive; it supports rolling, canary",
                "choose one of those, or write everything in this file with the generic profile"));
    }

    @Test
    void aSettingNamingWhereCommandsRunMustBeANode() {
        List<SpecError> errors = errorsOf(cluster("profile: {name: kubernetes, settings: {kubectlNode: n9}}"));
        assertThat(errors).containsExactly(new SpecError("cluster.yaml", 3, 53, "profile.settings.kubectlNode",
                "setting 'kubectlNode' names where commands run: 'n9' is not a node",
                "did you mean 'n1'? write a node name (n1, n2, n3) or self, primary, others, all"));
    }

    @Test
    void aSettingsVariablesNeedAValueWhereTheSettingIsUsed() {
        SpecError error = errorsOf(cluster("profile: {name: kubernetes, settings: {kubectlNode: n1, etcdHealth: 'etcdctl --endpoints=${node.host}:2379 endpoint health'}}")).get(0);
        assertThat(error.source()).isEqualTo("builtin:kubernetes.yaml");
        assertThat(error.path()).isEqualTo("health.cluster[1].command.run");
        assertThat(error.message()).startsWith("${node.host} has no value here: this runs once for the cluster");
    }

    @Test
    void aProfileFileOfYourOwnRelativeToTheClusterFile() throws Exception {
        Files.createDirectories(dir.resolve("profiles"));
        Files.writeString(dir.resolve("profiles/my-stack.yaml"), """
                name: my-stack
                description: Our app behind HAProxy
                strategies: [rolling]
                settings:
                  port: {doc: The app's port., defaultValue: "8080"}
                discovery:
                  bootId: sysctl -n kern.boottime
                commands:
                  fence: haproxy-ctl disable ${node.name}
                  unfence: haproxy-ctl enable ${node.name}
                health:
                  node:
                    - name: app
                      command: curl -fsS http://localhost:${setting.port}/health
                """);
        Path file = dir.resolve("cluster.yaml");
        Files.writeString(file, cluster("profile: {name: ./profiles/my-stack.yaml, settings: {port: 9090}}"));
        ClusterSpec spec = SpecLoader.load(file);
        assertThat(spec.discovery().bootId()).as("the profile's, as the file writes none").isEqualTo(
                "sysctl -n kern.boottime");
        assertThat(SpecLoader.parse(cluster("profile: {name: keepalived, settings: {vip: 192.0.2.10}}")
                + "discovery:\n  bootId: cat /run/boot\n", "c.yaml")
                .discovery().bootId()).isEqualTo("cat /run/boot");
        assertThat(spec.commands().fence()).extracting(CommandSpec::run).containsExactly("haproxy-ctl disable ${node.name}");
        assertThat(ProfileSpecs.render(spec, List.of(CommandSpec.of(spec.health().node().get(0).command().run())), "n1", null, null))
                .containsExactly("curl -fsS http://localhost:9090/health");
    }

    @Test
    void errorsInAProfileFileArePlacedInIt() throws Exception {
        Path profiles = Files.createDirectories(dir.resolve("profiles"));
        Files.writeString(profiles.resolve("bad.yaml"), """
                name: bad
                description: broken on purpose
                settings:
                  port: {doc: The port., defaultValue: "8080"}
                commands:
                  fence:
                    run: disable ${node.name} ${setting.prot}
                    on: primry
                  unfenc: enable
                  verify: check ${var.thing}
                """);
        Path file = dir.resolve("cluster.yaml");
        Files.writeString(file, cluster("profile: ./profiles/bad.yaml"));
        SpecException failure = catchThrowableOfType(SpecException.class, () -> SpecLoader.load(file));
        String source = profiles.resolve("bad.yaml").toString();
        assertThat(failure.errors()).extracting(SpecError::source, SpecError::line, SpecError::column, SpecError::path)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(source, 9, 3, "commands.unfenc"));
        assertThat(failure.errors().get(0).hint()).startsWith("did you mean 'unfence'?");

        Files.writeString(profiles.resolve("bad.yaml"), Files.readString(profiles.resolve("bad.yaml")).replace("  unfenc: enable\n", ""));
        failure = catchThrowableOfType(SpecException.class, () -> SpecLoader.load(file));
        assertThat(failure.errors()).extracting(SpecError::source, SpecError::line, SpecError::path, SpecError::message).containsExactly(
                org.assertj.core.groups.Tuple.tuple(source, 7, "commands.fence[0].run", "unknown setting ${setting.prot}"),
                org.assertj.core.groups.Tuple.tuple(source, 8, "commands.fence[0].on", "unknown target 'primry' in a profile"),
                org.assertj.core.groups.Tuple.tuple(source, 9, "commands.verify[0].run", "${var.thing} cannot be used in a profile: "
                        + "a profile does not know the variables of the cluster files that use it"));
        assertThat(failure.errors().get(0).hint()).startsWith("did you mean 'port'?");
    }

    @Test
    void aMissingProfileFileIsReportedWhereTheClusterFileNamesIt() throws Exception {
        Path file = dir.resolve("cluster.yaml");
        Files.writeString(file, cluster("profile: ./profiles/none.yaml"));
        SpecException failure = catchThrowableOfType(SpecException.class, () -> SpecLoader.load(file));
        assertThat(failure.errors()).hasSize(1);
        SpecError error = failure.errors().get(0);
        assertThat(error.source()).isEqualTo(file.toString());
        assertThat(error.line()).isEqualTo(3);
        assertThat(error.message()).isEqualTo("profile file " + dir.resolve("profiles/none.yaml") + ": no such profile file");
    }

    @Test
    void anErrorAboutAValueTakenFromTheProfileIsPlacedInTheProfile() throws Exception {
        Files.writeString(dir.resolve("p.yaml"), """
                name: p
                description: uses a peer where there is none
                commands:
                  fence: drain ${peer.name}
                """);
        Path file = dir.resolve("cluster.yaml");
        Files.writeString(file, cluster("profile: p.yaml") + "  unfence: undrain ${node.name}\n");
        SpecException failure = catchThrowableOfType(SpecException.class, () -> SpecLoader.load(file));
        assertThat(failure.errors()).extracting(SpecError::source, SpecError::line, SpecError::column, SpecError::path)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(dir.resolve("p.yaml").toString(), 4, 10, "commands.fence[0].run"));
        assertThat(failure.errors().get(0).message()).startsWith("${peer.name} has no value here");
    }
}
