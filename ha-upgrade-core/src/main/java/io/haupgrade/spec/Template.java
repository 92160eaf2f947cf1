package io.haupgrade.spec;

import io.haupgrade.shell.ShellQuote;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * A text from the spec with {@code ${...}} variables: a command line, an env value, a URL. {@code $${} writes a
 * literal {@code ${}; any other {@code $} is left for the shell. Rendering a command quotes every substituted value
 * as one shell word, so a node called {@code a;rm -rf /} cannot inject anything.
 */
public final class Template {
    /** Every variable a spec may use, besides {@code node.label.KEY}, {@code var.NAME} and {@code setting.NAME}. */
    public static final List<String> NAMES = List.of(
            "node.name", "node.host", "node.port", "node.user", "node.role", "node.fenced",
            "targetVersion", "currentVersion", "cluster.name",
            "primary.name", "primary.host", "peer.name", "peer.host");
    public static final String LABEL_PREFIX = "node.label.";
    public static final String VAR_PREFIX = "var.";
    /**
     * A setting of the profile. A setting's value may itself use variables (not settings); they are substituted
     * when the text is rendered, shell-quoted, and the result is then one value like any other.
     */
    public static final String SETTING_PREFIX = "setting.";

    private final String text;
    /** Literal text and variable names, alternating: literal, variable, literal, ..., literal. */
    private final List<String> parts;

    private Template(String text, List<String> parts) {
        this.text = text;
        this.parts = parts;
    }

    public static Template parse(String text) throws TemplateException {
        List<String> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            if (text.startsWith("$${", i)) {
                literal.append("${");
                i += 3;
            } else if (text.startsWith("${", i)) {
                int end = text.indexOf('}', i + 2);
                if (end < 0) {
                    throw new TemplateException("'${' at position " + (i + 1) + " is not closed by '}' in '" + text
                            + "'; write $${ for a literal ${", null, text);
                }
                parts.add(literal.toString());
                literal.setLength(0);
                parts.add(text.substring(i + 2, end).strip());
                i = end + 1;
            } else {
                literal.append(text.charAt(i));
                i++;
            }
        }
        parts.add(literal.toString());
        return new Template(text, List.copyOf(parts));
    }

    /** Whether {@code name} is a variable the spec may use (a label or own variable of any name counts). */
    public static boolean isKnown(String name) {
        return NAMES.contains(name) || (name.startsWith(LABEL_PREFIX) && name.length() > LABEL_PREFIX.length())
                || (name.startsWith(VAR_PREFIX) && name.length() > VAR_PREFIX.length())
                || (name.startsWith(SETTING_PREFIX) && name.length() > SETTING_PREFIX.length());
    }

    public String text() {
        return text;
    }

    /** The variables this text uses, in the order written, each once. */
    public Set<String> variables() {
        Set<String> names = new LinkedHashSet<>();
        for (int i = 1; i < parts.size(); i += 2) {
            names.add(parts.get(i));
        }
        return names;
    }

    /** A command line: each value becomes one shell word ({@link ShellQuote#quote}). */
    public String renderCommand(Variables values) throws TemplateException {
        return render(values, ShellQuote::quote);
    }

    /** A URL: each value is percent-encoded, so it cannot add a path, query or another host. */
    public String renderUrl(Variables values) throws TemplateException {
        return render(values, v -> URLEncoder.encode(v, StandardCharsets.UTF_8).replace("+", "%20"));
    }

    /**
     * The values as they are, for text that is quoted later as a whole: env values and the working directory
     * (the SSH layer quotes them), a host name, a regular expression.
     */
    public String renderPlain(Variables values) throws TemplateException {
        return render(values, UnaryOperator.identity());
    }

    private String render(Variables values, UnaryOperator<String> escape) throws TemplateException {
        StringBuilder out = new StringBuilder(parts.get(0));
        for (int i = 1; i < parts.size(); i += 2) {
            String name = parts.get(i);
            Optional<String> value = values.get(name);
            if (value.isEmpty()) {
                throw new TemplateException("${" + name + "} has no value here, in '" + text + "'", name, text);
            }
            String resolved = value.get();
            if (name.startsWith(SETTING_PREFIX) && resolved.contains("${")) {
                resolved = settingValue(name, resolved, values);
            }
            out.append(escape.apply(resolved)).append(parts.get(i + 1));
        }
        return out.toString();
    }

    /** A setting's value with its own variables substituted as in a command; settings inside settings are refused. */
    private String settingValue(String name, String value, Variables values) throws TemplateException {
        Template inner = parse(value);
        for (String variable : inner.variables()) {
            if (variable.startsWith(SETTING_PREFIX)) {
                throw new TemplateException("${" + name + "} uses ${" + variable + "}: a setting's value cannot use "
                        + "another setting, in '" + text + "'", variable, text);
            }
        }
        try {
            return inner.renderCommand(values);
        } catch (TemplateException e) {
            throw new TemplateException("${" + name + "}: " + e.getMessage(), e.variable(), text);
        }
    }

    @Override
    public String toString() {
        return text;
    }
}
