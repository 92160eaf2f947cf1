package io.haupgrade.profile;

import io.haupgrade.spec.CommandCheckSpec;
import io.haupgrade.spec.CommandSpec;
import io.haupgrade.spec.DidYouMean;
import io.haupgrade.spec.Discovery;
import io.haupgrade.spec.Health;
import io.haupgrade.spec.HealthCheckSpec;
import io.haupgrade.spec.Hooks;
import io.haupgrade.spec.Phase;
import io.haupgrade.spec.PhaseCommands;
import io.haupgrade.spec.SpecError;
import io.haupgrade.spec.SpecException;
import io.haupgrade.spec.SpecLoader;
import io.haupgrade.spec.SpecLocations;
import io.haupgrade.spec.SpecValidator;
import io.haupgrade.spec.Template;
import io.haupgrade.spec.TemplateException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads profiles: the built-in ones shipped as {@code io/haupgrade/profile/NAME.yaml} (their names are
 * {@link SpecValidator#AVAILABLE_PROFILES}) and profile files of your own. A profile is bound by the same binder as a
 * cluster file and then checked: its settings, the values its variants need, and every {@code ${...}} it uses.
 */
public final class Profiles {
    private static final Pattern SETTING_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");

    private Profiles() {
    }

    /** The text of a built-in profile, as shipped. */
    public static String builtInText(String name) {
        if (!SpecValidator.AVAILABLE_PROFILES.contains(name)) {
            throw new IllegalArgumentException("no built-in profile '" + name + "'; built in: "
                    + String.join(", ", SpecValidator.AVAILABLE_PROFILES));
        }
        try (InputStream in = Profiles.class.getResourceAsStream(name + ".yaml")) {
            if (in == null) {
                throw new IllegalStateException("built-in profile " + name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read built-in profile " + name, e);
        }
    }

    /** How a built-in profile is named in errors: {@code builtin:pacemaker.yaml}. */
    public static String builtInSource(String name) {
        return "builtin:" + name + ".yaml";
    }

    /** A built-in profile, read and checked. */
    public static LoadedProfile builtIn(String name) throws SpecException {
        return parse(builtInText(name), builtInSource(name));
    }

    /** A profile file of your own, read and checked. */
    public static LoadedProfile load(Path file) throws SpecException {
        List<SpecError> errors = new ArrayList<>();
        LoadedProfile profile = read(file, errors);
        if (profile == null) {
            throw new SpecException(errors);
        }
        return profile;
    }

    /** A profile from text, read and checked; every error is in the exception. */
    public static LoadedProfile parse(String text, String source) throws SpecException {
        List<SpecError> errors = new ArrayList<>();
        LoadedProfile profile = read(text, source, errors);
        if (profile == null) {
            throw new SpecException(errors);
        }
        return profile;
    }

    /** The profile in {@code file}, or null when {@code errors} got an error. */
    static LoadedProfile read(Path file, List<SpecError> errors) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            errors.add(new SpecError(file.toString(), 0, 0, "", "no such profile file",
                    "a profile path is relative to the cluster file that names it"));
            return null;
        } catch (IOException | java.io.UncheckedIOException e) {
            errors.add(new SpecError(file.toString(), 0, 0, "", "cannot read the profile file: " + e.getMessage(),
                    "check that it exists, is readable and is UTF-8 text"));
            return null;
        }
        return read(text, file.toString(), errors);
    }

    static LoadedProfile read(String text, String source, List<SpecError> errors) {
        SpecLocations locations = new SpecLocations(source);
        int before = errors.size();
        Profile profile = SpecLoader.bind(text, Profile.class, locations, errors);
        if (profile == null) {
            return null;
        }
        new Checker(profile, locations, errors).check();
        return errors.size() > before ? null : new LoadedProfile(profile, locations);
    }

    /** The checks a profile needs beyond its shape; each error is placed where the value was written. */
    private static final class Checker {
        private final Profile profile;
        private final SpecLocations locations;
        private final List<SpecError> errors;

        Checker(Profile profile, SpecLocations locations, List<SpecError> errors) {
            this.profile = profile;
            this.locations = locations;
            this.errors = errors;
        }

        void check() {
            if (profile.name().isBlank()) {
                error("name", "the profile name is empty", "name it; errors and the plan show this name");
            }
            profile.settings().forEach((name, setting) -> checkSetting("settings." + name, name, setting));
            checkParts("", profile.discovery(), profile.commands(), profile.hooks(), profile.health());
            for (int i = 0; i < profile.variants().size(); i++) {
                ProfileVariant variant = profile.variants().get(i);
                String path = "variants[" + i + "]";
                variant.when().forEach((name, value) -> checkCondition(path + ".when." + name, name, value));
                checkParts(path + ".", variant.discovery(), variant.commands(), variant.hooks(), variant.health());
            }
        }

        private void checkSetting(String path, String name, Setting setting) {
            if (!SETTING_NAME.matcher(name).matches()) {
                error(path, "setting name '" + name + "' is not a plain name",
                        "use letters, digits and '_', starting with a letter, so that ${setting." + name + "} is clear");
            }
            if (setting.defaultValue() != null && !setting.choices().isEmpty()
                    && !setting.choices().contains(setting.defaultValue())) {
                error(path + ".defaultValue", "default '" + setting.defaultValue() + "' is not one of the choices "
                        + String.join(", ", setting.choices()), "make the default one of the choices");
            }
            if (setting.defaultValue() != null) {
                try {
                    for (String variable : Template.parse(setting.defaultValue()).variables()) {
                        if (variable.startsWith(Template.SETTING_PREFIX)) {
                            error(path + ".defaultValue", "a setting's value cannot use another setting (${"
                                    + variable + "})", "write the value out");
                        } else {
                            checkVariable(path + ".defaultValue", variable);
                        }
                    }
                } catch (TemplateException e) {
                    error(path + ".defaultValue", e.getMessage(), "");
                }
            }
        }

        private void checkCondition(String path, String name, String value) {
            Setting setting = profile.settings().get(name);
            if (setting == null) {
                error(path, "'when' names setting '" + name + "', which the profile does not declare",
                        DidYouMean.hint(name, profile.settings().keySet()) + "declare it under settings");
            } else if (setting.choices().isEmpty()) {
                error(path, "setting '" + name + "' has no choices, so a variant cannot depend on it",
                        "give it choices, e.g. choices: [true, false]");
            } else if (!setting.choices().contains(value)) {
                error(path, "'" + value + "' is not a choice of setting '" + name + "'",
                        DidYouMean.hint(value, setting.choices()) + "choices: " + String.join(", ", setting.choices()));
            }
        }

        private void checkParts(String prefix, Discovery discovery, PhaseCommands commands, Hooks hooks, Health health) {
            if (discovery.role() != null) {
                checkCommand(prefix + "discovery.role.command", discovery.role().command());
            }
            if (discovery.version() != null) {
                checkCommand(prefix + "discovery.version.command", discovery.version().command());
            }
            for (Phase phase : Phase.values()) {
                checkCommands(prefix + "commands." + phase.name().toLowerCase(Locale.ROOT), commands.of(phase));
            }
            checkCommands(prefix + "hooks.beforeAll", hooks.beforeAll());
            checkCommands(prefix + "hooks.afterAll", hooks.afterAll());
            checkCommands(prefix + "hooks.beforeNode", hooks.beforeNode());
            checkCommands(prefix + "hooks.afterNode", hooks.afterNode());
            checkChecks(prefix + "health.node", health.node());
            checkChecks(prefix + "health.cluster", health.cluster());
        }

        private void checkCommands(String path, List<CommandSpec> commands) {
            for (int i = 0; i < commands.size(); i++) {
                checkCommand(path + "[" + i + "]", commands.get(i));
            }
        }

        private void checkCommand(String path, CommandSpec command) {
            checkText(path + ".run", command.run());
            checkOn(path + ".on", command.on());
            for (Map.Entry<String, String> env : command.env().entrySet()) {
                checkText(path + ".env." + env.getKey(), env.getValue());
            }
            if (command.workdir() != null) {
                checkText(path + ".workdir", command.workdir());
            }
        }

        private void checkChecks(String path, List<HealthCheckSpec> checks) {
            for (int i = 0; i < checks.size(); i++) {
                HealthCheckSpec check = checks.get(i);
                CommandCheckSpec command = check.command();
                if (command != null) {
                    checkText(path + "[" + i + "].command.run", command.run());
                    if (command.on() != null) {
                        checkOn(path + "[" + i + "].command.on", command.on());
                    }
                }
                if (check.http() != null) {
                    checkText(path + "[" + i + "].http.url", check.http().url());
                }
                if (check.tcp() != null) {
                    checkText(path + "[" + i + "].tcp.host", check.tcp().host());
                }
            }
        }

        /** A profile knows no node names: {@code on} is self, primary, others, all, or a setting. */
        private void checkOn(String path, String on) {
            String setting = ProfileResolver.settingIn(on);
            if (setting != null) {
                checkVariable(path, Template.SETTING_PREFIX + setting);
            } else if (!SpecValidator.ON_TARGETS.contains(on)) {
                error(path, "unknown target '" + on + "' in a profile",
                        DidYouMean.hint(on, SpecValidator.ON_TARGETS) + "a profile knows no node names: write self, primary, "
                                + "others, all, or ${setting.NAME} for a node the cluster file names");
            }
        }

        private void checkText(String path, String text) {
            try {
                for (String variable : Template.parse(text).variables()) {
                    checkVariable(path, variable);
                }
            } catch (TemplateException e) {
                error(path, e.getMessage(), "");
            }
        }

        private void checkVariable(String path, String name) {
            String ref = "${" + name + "}";
            if (name.startsWith(Template.SETTING_PREFIX)) {
                String setting = name.substring(Template.SETTING_PREFIX.length());
                if (!profile.settings().containsKey(setting)) {
                    error(path, "unknown setting " + ref, DidYouMean.hint(setting, profile.settings().keySet())
                            + "declare it under settings (declared: " + String.join(", ", profile.settings().keySet()) + ")");
                }
            } else if (name.startsWith(Template.VAR_PREFIX)) {
                error(path, ref + " cannot be used in a profile: a profile does not know the variables of the "
                        + "cluster files that use it", "declare a setting and write ${setting.NAME}");
            } else if (!Template.isKnown(name)) {
                List<String> candidates = new ArrayList<>(Template.NAMES);
                profile.settings().keySet().forEach(s -> candidates.add(Template.SETTING_PREFIX + s));
                error(path, "unknown variable " + ref, DidYouMean.closest(name, candidates).map(c -> "did you mean ${" + c + "}? ")
                        .orElse("") + "to pass " + ref
                        + " to the shell, write $" + ref);
            }
        }

        private void error(String path, String message, String hint) {
            errors.add(locations.error(path, message, hint));
        }
    }
}
