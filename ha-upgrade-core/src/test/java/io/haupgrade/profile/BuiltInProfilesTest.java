package io.haupgrade.profile;

import static io.haupgrade.profile.ProfileSpecs.INCOMING;
import static io.haupgrade.profile.ProfileSpecs.NODES;
import static io.haupgrade.profile.ProfileSpecs.load;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haupgrade.plan.Plan;
import io.haupgrade.plan.PlanException;
import io.haupgrade.plan.PlanRequest;
import io.haupgrade.plan.PlanSimulator;
import io.haupgrade.plan.Planner;
import io.haupgrade.plan.StepKind;
import io.haupgrade.spec.ClusterSpec;
import io.haupgrade.spec.SpecException;
import io.haupgrade.spec.SpecValidator;
import io.haupgrade.spec.Strategy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every built-in profile is a valid profile, and applied to a small cluster with every combination of its choice
 * settings it validates and plans safely with every strategy it supports.
 */
class BuiltInProfilesTest {
    /** Settings without a default, which a cluster file must give. */
    private static final Map<String, String> REQUIRED = Map.of("keepalived", "vip: 198.51.100.10", "pacemaker", "resource: web",
            "kubernetes", "kubectlNode: n1");

    static Stream<String> profiles() {
        return SpecValidator.AVAILABLE_PROFILES.stream();
    }

    @ParameterizedTest
    @MethodSource("profiles")
    void isAValidProfileWithItsOwnName(String name) throws SpecException {
        Profile profile = Profiles.builtIn(name).profile();
        assertThat(profile.name()).isEqualTo(name);
        assertThat(profile.description()).isNotBlank();
        profile.settings().forEach((setting, s) -> assertThat(s.doc()).as("doc of %s.%s", name, setting).isNotBlank());
    }

    record Case(String profile, Map<String, String> choices, Strategy strategy) {
        @Override
        public String toString() {
            return profile + " " + choices + " " + strategy.name().toLowerCase(Locale.ROOT);
        }
    }

    static Stream<Case> cases() throws SpecException {
        List<Case> cases = new ArrayList<>();
        for (String name : SpecValidator.AVAILABLE_PROFILES) {
            Profile profile = Profiles.builtIn(name).profile();
            for (Map<String, String> choices : combinations(profile)) {
                for (Strategy strategy : profile.strategies()) {
                    cases.add(new Case(name, choices, strategy));
                }
            }
        }
        return cases.stream();
    }

    /** Every combination of the values of the settings that have choices. */
    private static List<Map<String, String>> combinations(Profile profile) {
        List<Map<String, String>> all = new ArrayList<>(List.of(new LinkedHashMap<>()));
        profile.settings().forEach((name, setting) -> {
            if (setting.choices().isEmpty()) {
                return;
            }
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> partial : all) {
                for (String choice : setting.choices()) {
                    Map<String, String> more = new LinkedHashMap<>(partial);
                    more.put(name, choice);
                    next.add(more);
                }
            }
            all.clear();
            all.addAll(next);
        });
        return all;
    }

    @ParameterizedTest
    @MethodSource("cases")
    void validatesAndPlansSafely(Case c) throws PlanException {
        List<String> settings = new ArrayList<>();
        if (REQUIRED.containsKey(c.profile())) {
            settings.add(REQUIRED.get(c.profile()));
        }
        c.choices().forEach((k, v) -> settings.add(k + ": \"" + v + "\""));
        String yaml = "name: c\ntargetVersion: 2.0.0\ncurrentVersion: 1.0.0\n"
                + "profile: {name: " + c.profile() + ", settings: {" + String.join(", ", settings) + "}}\n"
                + NODES + (c.strategy() == Strategy.REPLACE ? INCOMING : "")
                + "commands:\n  upgrade: apt-get install -y app\n"
                + (c.profile().equals("generic") ? genericCommands(c.strategy()) : "")
                + "policy:\n  strategy: " + c.strategy().name().toLowerCase(Locale.ROOT).replace('_', '-') + "\n";
        ClusterSpec spec = load(yaml);
        assertThat(SpecValidator.validate(spec)).as("the effective spec validates again as built").isEmpty();

        boolean rolesDiscovered = spec.discovery().role() != null;
        if (!rolesDiscovered && c.strategy() == Strategy.ACTIVE_PASSIVE) {
            // generic without roles, pacemaker in cluster maintenance (nothing moves): no primary to hand over.
            assertThatThrownBy(() -> Planner.plan(PlanRequest.of(spec))).isInstanceOf(PlanException.class)
                    .hasMessageContaining("active-passive needs to know the primary");
            return;
        }
        Plan plan = Planner.plan(PlanRequest.of(spec));
        assertThat(PlanSimulator.simulate(spec, plan).violations()).isEmpty();
        assertThat(plan.steps()).filteredOn(s -> s.kind() == StepKind.NODE_PHASE).isNotEmpty();
        if (rolesDiscovered && c.strategy() != Strategy.FULL_STOP) {
            assertThat(plan.stepIds()).as("the primary is switched over before it is touched")
                    .anyMatch(id -> id.startsWith("switchover:"));
        }
    }

    /** Every command a profile can send, with every choice, rendered for a node and parsed by the real /bin/sh. */
    @ParameterizedTest
    @MethodSource("choices")
    @org.junit.jupiter.api.Timeout(120)
    void everyRenderedCommandIsValidShell(Case c) throws Exception {
        List<String> settings = new ArrayList<>();
        if (REQUIRED.containsKey(c.profile())) {
            settings.add(REQUIRED.get(c.profile()));
        }
        c.choices().forEach((k, v) -> settings.add(k + ": \"" + v + "\""));
        ClusterSpec spec = load("name: c\ntargetVersion: 2.0.0\ncurrentVersion: 1.0.0\n"
                + "profile: {name: " + c.profile() + ", settings: {" + String.join(", ", settings) + "}}\n"
                + NODES + "commands:\n  upgrade: apt-get install -y app\n");
        List<io.haupgrade.spec.CommandSpec> commands = new ArrayList<>();
        for (io.haupgrade.spec.Phase phase : io.haupgrade.spec.Phase.values()) {
            commands.addAll(spec.commands().of(phase));
        }
        commands.addAll(spec.hooks().beforeAll());
        commands.addAll(spec.hooks().afterAll());
        if (spec.discovery().role() != null) {
            commands.add(spec.discovery().role().command());
        }
        java.util.stream.Stream.concat(spec.health().node().stream(), spec.health().cluster().stream())
                .filter(h -> h.command() != null)
                .forEach(h -> commands.add(io.haupgrade.spec.CommandSpec.of(h.command().run())));
        for (String command : ProfileSpecs.render(spec, commands, "n1", "n1", "n2")) {
            if (!PARSED.add(command)) {
                continue;
            }
            Process sh = new ProcessBuilder("/bin/sh", "-n", "-c", command).redirectErrorStream(true).start();
            String output = new String(sh.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(sh.waitFor()).as("sh -n says %s for:%n%s", output, command).isZero();
        }
    }

    /** Commands parsed already: many combinations share them. */
    private static final java.util.Set<String> PARSED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static Stream<Case> choices() throws SpecException {
        return cases().filter(c -> c.strategy() == Strategy.ROLLING);
    }

    private static String genericCommands(Strategy strategy) {
        return switch (strategy) {
            case REPLACE -> "  join: join-cluster\n  leave: leave-cluster\n";
            case FULL_STOP -> "  stop: systemctl stop app\n  start: systemctl start app\n";
            default -> "";
        };
    }

    @ParameterizedTest
    @MethodSource("profiles")
    void everyChoiceOfEverySettingIsExercised(String name) throws SpecException {
        Profile profile = Profiles.builtIn(name).profile();
        Map<String, List<String>> used = profile.variants().stream().flatMap(v -> v.when().entrySet().stream())
                .collect(Collectors.groupingBy(Map.Entry::getKey, Collectors.mapping(Map.Entry::getValue, Collectors.toList())));
        used.forEach((setting, values) -> assertThat(profile.settings().get(setting).choices())
                .as("variants depend on declared choices of %s", setting).containsAll(values));
    }
}
