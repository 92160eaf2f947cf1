package io.haupgrade.profile;

import io.haupgrade.spec.ClusterSpec;
import io.haupgrade.spec.CommandCheckSpec;
import io.haupgrade.spec.CommandSpec;
import io.haupgrade.spec.Compatibility;
import io.haupgrade.spec.DidYouMean;
import io.haupgrade.spec.Discovery;
import io.haupgrade.spec.Health;
import io.haupgrade.spec.HealthCheckSpec;
import io.haupgrade.spec.Hooks;
import io.haupgrade.spec.NodeSpec;
import io.haupgrade.spec.Phase;
import io.haupgrade.spec.PhaseCommands;
import io.haupgrade.spec.RoleDetection;
import io.haupgrade.spec.SpecError;
import io.haupgrade.spec.SpecLocations;
import io.haupgrade.spec.SpecValidator;
import io.haupgrade.spec.Strategy;
import io.haupgrade.spec.UpgradePolicy;
import io.haupgrade.spec.VersionDetection;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes the effective cluster spec from a cluster file and its profile: the file's values where it writes them, else
 * the profile's. Per phase, a phase the file writes replaces the profile's; health checks and hooks are the file's
 * followed by the profile's; discovery and timing the file's when written; {@code policy.quorum} from the profile
 * unless written. Settings are checked (unknown, not a choice, missing) and filled with their defaults. Values taken
 * from the profile keep their place in the profile file, so later errors about them point there.
 */
public final class ProfileResolver {
    private static final Pattern SETTING_ON = Pattern.compile("\\$\\{\\s*setting\\.([A-Za-z][A-Za-z0-9_]*)\\s*}");

    private final ClusterSpec spec;
    private final SpecLocations locations;
    private final List<SpecError> errors;
    private final String profileName;
    private Profile profile;
    private SpecLocations profileLocations;
    /** The profile itself ("") and each variant that applies ("variants[i]."), in order. */
    private final List<String> layers = new ArrayList<>();

    private ProfileResolver(ClusterSpec spec, SpecLocations locations, List<SpecError> errors) {
        this.spec = spec;
        this.locations = locations;
        this.errors = errors;
        this.profileName = spec.profile().name();
    }

    /**
     * The effective spec, or null when the profile cannot be applied (then {@code errors} says why).
     *
     * @param locations where the cluster file wrote each value; the places of values taken from the profile are added
     * @param baseDirectory where a profile file is looked up (the cluster file's directory)
     */
    public static ClusterSpec apply(ClusterSpec spec, SpecLocations locations, Path baseDirectory, List<SpecError> errors) {
        return new ProfileResolver(spec, locations, errors).resolve(baseDirectory);
    }

    /** The setting an {@code on:} value names ({@code ${setting.kubectlNode}}), or null. */
    static String settingIn(String on) {
        Matcher matcher = SETTING_ON.matcher(on.strip());
        return matcher.matches() ? matcher.group(1) : null;
    }

    private ClusterSpec resolve(Path baseDirectory) {
        int before = errors.size();
        LoadedProfile loaded = load(baseDirectory);
        if (loaded == null) {
            return null;
        }
        profile = loaded.profile();
        profileLocations = loaded.locations();
        Map<String, String> settings = settings();
        if (errors.size() > before) {
            return null;
        }
        layers.add("");
        for (int i = 0; i < profile.variants().size(); i++) {
            if (profile.variants().get(i).appliesTo(settings)) {
                layers.add("variants[" + i + "].");
            }
        }
        if (!profile.strategies().contains(spec.policy().strategy())) {
            error("policy.strategy", "profile " + profileName + " does not support strategy "
                            + kebab(spec.policy().strategy()) + "; it supports "
                            + String.join(", ", profile.strategies().stream().map(ProfileResolver::kebab).toList()),
                    "choose one of those, or write everything in this file with the generic profile");
            return null;
        }
        ClusterSpec effective = new ClusterSpec(spec.name(), spec.description(), spec.profile().withSettings(settings),
                spec.targetVersion(), spec.currentVersion(), spec.ssh(), spec.nodes(), spec.groups(), discovery(),
                commands(), hooks(), health(), spec.probe(), policy(), compatibility(), spec.variables());
        return resolveOn(effective, settings, before);
    }

    private LoadedProfile load(Path baseDirectory) {
        if (SpecValidator.AVAILABLE_PROFILES.contains(profileName)) {
            return Profiles.read(Profiles.builtInText(profileName), Profiles.builtInSource(profileName), errors);
        }
        if (spec.profile().isFile()) {
            Path file = baseDirectory.resolve(profileName).normalize();
            int before = errors.size();
            LoadedProfile loaded = Profiles.read(file, errors);
            if (loaded == null && errors.size() == before + 1 && errors.get(before).line() == 0) {
                // The file itself is missing or unreadable: say so where the cluster file names it.
                SpecError cause = errors.remove(before);
                error("profile.name", "profile file " + file + ": " + cause.message(), cause.hint());
            }
            return loaded;
        }
        error("profile.name", "profile '" + profileName + "' is not available; available: "
                        + String.join(", ", SpecValidator.AVAILABLE_PROFILES),
                DidYouMean.hint(profileName, SpecValidator.AVAILABLE_PROFILES)
                        + "or name a profile file of your own, e.g. ./profiles/" + profileName + ".yaml");
        return null;
    }

    /** The written settings checked against the declared ones, and every declared one with its value. */
    private Map<String, String> settings() {
        Map<String, String> written = spec.profile().settings();
        for (Map.Entry<String, String> entry : written.entrySet()) {
            String name = entry.getKey();
            Setting setting = profile.settings().get(name);
            String path = "profile.settings." + name;
            if (setting == null) {
                error(path, "unknown setting '" + name + "' of profile " + profileName,
                        DidYouMean.hint(name, profile.settings().keySet()) + (profile.settings().isEmpty()
                                ? "profile " + profileName + " has no settings"
                                : "settings: " + String.join(", ", profile.settings().keySet())));
            } else if (!setting.choices().isEmpty() && !setting.choices().contains(entry.getValue())) {
                error(path, "'" + entry.getValue() + "' is not a choice of setting '" + name + "'",
                        DidYouMean.hint(entry.getValue(), setting.choices()) + "choices: "
                                + String.join(", ", setting.choices()));
            }
        }
        Map<String, String> effective = new LinkedHashMap<>();
        profile.settings().forEach((name, setting) -> {
            String value = written.containsKey(name) ? written.get(name) : setting.defaultValue();
            if (value == null) {
                error("profile", "profile " + profileName + " needs setting '" + name + "': " + setting.doc(),
                        "write it under profile.settings" + (setting.example() == null ? ""
                                : ", e.g. settings: {" + name + ": " + setting.example() + "}"));
            } else {
                effective.put(name, value);
                if (!written.containsKey(name)) {
                    locations.adopt("profile.settings." + name, profileLocations, "settings." + name + ".defaultValue");
                }
            }
        });
        return effective;
    }

    private Discovery discovery() {
        RoleDetection role = spec.discovery().role();
        VersionDetection version = spec.discovery().version();
        String bootId = spec.discovery().bootId();
        boolean bootIdWritten = !bootId.equals(Discovery.LINUX_BOOT_ID);
        for (String layer : layers) {
            Discovery theirs = partsOf(layer, p -> p.discovery(), v -> v.discovery());
            if (spec.discovery().role() == null && theirs.role() != null) {
                role = theirs.role();
                locations.adopt("discovery.role", profileLocations, layer + "discovery.role");
            }
            if (spec.discovery().version() == null && theirs.version() != null) {
                version = theirs.version();
                locations.adopt("discovery.version", profileLocations, layer + "discovery.version");
            }
            if (!bootIdWritten && !theirs.bootId().equals(Discovery.LINUX_BOOT_ID)) {
                bootId = theirs.bootId();
                locations.adopt("discovery.bootId", profileLocations, layer + "discovery.bootId");
            }
        }
        return new Discovery(role, version, bootId);
    }

    private PhaseCommands commands() {
        Map<Phase, List<CommandSpec>> phases = new EnumMap<>(Phase.class);
        for (Phase phase : Phase.values()) {
            List<CommandSpec> own = spec.commands().of(phase);
            if (!own.isEmpty()) {
                phases.put(phase, own);
                continue;
            }
            String key = phase.name().toLowerCase(Locale.ROOT);
            // Each layer's unfence undoes its fence: the undo of the last fence runs first.
            List<String> order = new ArrayList<>(layers);
            if (phase == Phase.UNFENCE) {
                java.util.Collections.reverse(order);
            }
            List<CommandSpec> combined = new ArrayList<>();
            for (String layer : order) {
                List<CommandSpec> commands = partsOf(layer, p -> p.commands(), v -> v.commands()).of(phase);
                for (int i = 0; i < commands.size(); i++) {
                    locations.adopt("commands." + key + "[" + combined.size() + "]", profileLocations,
                            layer + "commands." + key + "[" + i + "]");
                    combined.add(commands.get(i));
                }
            }
            phases.put(phase, combined);
        }
        return new PhaseCommands(phases.get(Phase.SNAPSHOT), phases.get(Phase.FENCE), phases.get(Phase.UPGRADE),
                phases.get(Phase.REBOOT), phases.get(Phase.VERIFY), phases.get(Phase.UNFENCE),
                phases.get(Phase.SWITCHOVER), phases.get(Phase.FAILBACK), phases.get(Phase.ROLLBACK),
                phases.get(Phase.RESTORE), phases.get(Phase.STOP), phases.get(Phase.START), phases.get(Phase.JOIN),
                phases.get(Phase.LEAVE));
    }

    private Hooks hooks() {
        return new Hooks(hookList("beforeAll", Hooks::beforeAll), hookList("afterAll", Hooks::afterAll),
                hookList("beforeNode", Hooks::beforeNode), hookList("afterNode", Hooks::afterNode));
    }

    private List<CommandSpec> hookList(String key, Function<Hooks, List<CommandSpec>> list) {
        return appended("hooks." + key, list.apply(spec.hooks()), layer -> list.apply(partsOf(layer, p -> p.hooks(), v -> v.hooks())));
    }

    private Health health() {
        Health own = spec.health();
        Boolean exactlyOnePrimary = own.exactlyOnePrimary();
        Integer minHealthyNodes = own.minHealthyNodes();
        java.time.Duration interval = own.interval();
        java.time.Duration timeout = own.timeout();
        for (String layer : layers) {
            Health theirs = partsOf(layer, p -> p.health(), v -> v.health());
            if (own.exactlyOnePrimary() == null && theirs.exactlyOnePrimary() != null) {
                exactlyOnePrimary = theirs.exactlyOnePrimary();
                locations.adopt("health.exactlyOnePrimary", profileLocations, layer + "health.exactlyOnePrimary");
            }
            if (own.minHealthyNodes() == null && theirs.minHealthyNodes() != null) {
                minHealthyNodes = theirs.minHealthyNodes();
                locations.adopt("health.minHealthyNodes", profileLocations, layer + "health.minHealthyNodes");
            }
            // Durations have defaults: the profile's count only where the profile wrote them and the file did not.
            if (!locations.written("health.interval") && profileLocations.written(layer + "health.interval")) {
                interval = theirs.interval();
            }
            if (!locations.written("health.timeout") && profileLocations.written(layer + "health.timeout")) {
                timeout = theirs.timeout();
            }
        }
        return new Health(appended("health.node", own.node(), layer -> partsOf(layer, p -> p.health(), v -> v.health()).node()),
                appended("health.cluster", own.cluster(), layer -> partsOf(layer, p -> p.health(), v -> v.health()).cluster()),
                exactlyOnePrimary, minHealthyNodes, interval, timeout);
    }

    /** The file's items, then each layer's, with the places of the layers' items added. */
    private <T> List<T> appended(String path, List<T> own, Function<String, List<T>> ofLayer) {
        List<T> all = new ArrayList<>(own);
        for (String layer : layers) {
            List<T> items = ofLayer.apply(layer);
            for (int i = 0; i < items.size(); i++) {
                locations.adopt(path + "[" + all.size() + "]", profileLocations, layer + path + "[" + i + "]");
                all.add(items.get(i));
            }
        }
        return all;
    }

    private UpgradePolicy policy() {
        UpgradePolicy own = spec.policy();
        if (own.quorum() != null || profile.policy().quorum() == null) {
            return own;
        }
        locations.adopt("policy.quorum", profileLocations, "policy.quorum");
        return new UpgradePolicy(own.strategy(), own.maxUnavailable(), own.approvals(), own.onFailure(), own.failback(),
                profile.policy().quorum(), own.trustDiscoveredRoles(), own.retries(), own.timeouts());
    }

    private Compatibility compatibility() {
        Compatibility own = spec.compatibility();
        if (!own.rules().isEmpty() || own.minimumMixedVersion() != null || own.maxMixedWindow() != null) {
            return own;
        }
        locations.adopt("compatibility", profileLocations, "compatibility");
        return profile.compatibility();
    }

    /**
     * Every {@code on: ${setting.NAME}} replaced by the setting's value, which must be a node or a target word; an
     * error about a bad value is placed where the value was written.
     */
    private ClusterSpec resolveOn(ClusterSpec effective, Map<String, String> settings, int errorsBefore) {
        List<String> targets = new ArrayList<>(SpecValidator.ON_TARGETS);
        effective.nodes().stream().map(NodeSpec::name).forEach(targets::add);
        Set<String> reported = new LinkedHashSet<>();
        Function<String, String> on = written -> {
            String setting = settingIn(written);
            if (setting == null || !settings.containsKey(setting)) {
                return written;
            }
            String value = settings.get(setting);
            if (!targets.contains(value) && reported.add(setting)) {
                error("profile.settings." + setting, "setting '" + setting + "' names where commands run: '" + value
                                + "' is not a node", DidYouMean.hint(value, targets) + "write a node name ("
                                + String.join(", ", effective.nodes().stream().map(NodeSpec::name).toList())
                                + ") or self, primary, others, all");
            }
            return value;
        };
        PhaseCommands c = effective.commands();
        PhaseCommands commands = new PhaseCommands(on(c.snapshot(), on), on(c.fence(), on), on(c.upgrade(), on),
                on(c.reboot(), on), on(c.verify(), on), on(c.unfence(), on), on(c.switchover(), on),
                on(c.failback(), on), on(c.rollback(), on), on(c.restore(), on), on(c.stop(), on), on(c.start(), on),
                on(c.join(), on), on(c.leave(), on));
        Hooks h = effective.hooks();
        Hooks hooks = new Hooks(on(h.beforeAll(), on), on(h.afterAll(), on), on(h.beforeNode(), on), on(h.afterNode(), on));
        Health health = effective.health();
        Health checks = new Health(onChecks(health.node(), on), onChecks(health.cluster(), on), health.exactlyOnePrimary(),
                health.minHealthyNodes(), health.interval(), health.timeout());
        if (errors.size() > errorsBefore) {
            return null;
        }
        return new ClusterSpec(effective.name(), effective.description(), effective.profile(), effective.targetVersion(),
                effective.currentVersion(), effective.ssh(), effective.nodes(), effective.groups(), effective.discovery(),
                commands, hooks, checks, effective.probe(), effective.policy(), effective.compatibility(),
                effective.variables());
    }

    private static List<CommandSpec> on(List<CommandSpec> commands, Function<String, String> on) {
        return commands.stream().map(c -> new CommandSpec(c.run(), on.apply(c.on()), c.description(), c.timeout(),
                c.sudo(), c.idempotent(), c.retries(), c.expectExit(), c.env(), c.workdir())).toList();
    }

    private static List<HealthCheckSpec> onChecks(List<HealthCheckSpec> checks, Function<String, String> on) {
        return checks.stream().map(check -> {
            CommandCheckSpec command = check.command();
            if (command == null || command.on() == null) {
                return check;
            }
            return new HealthCheckSpec(check.name(), new CommandCheckSpec(command.run(), on.apply(command.on()),
                    command.expectExit(), command.outputMatches(), command.outputExcludes()), check.http(), check.tcp(),
                    check.version());
        }).toList();
    }

    private <T> T partsOf(String layer, Function<Profile, T> ofProfile, Function<ProfileVariant, T> ofVariant) {
        if (layer.isEmpty()) {
            return ofProfile.apply(profile);
        }
        int index = Integer.parseInt(layer.substring("variants[".length(), layer.indexOf(']')));
        return ofVariant.apply(profile.variants().get(index));
    }

    private static String kebab(Strategy strategy) {
        return strategy.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private void error(String path, String message, String hint) {
        errors.add(locations.error(path, message, hint));
    }
}
