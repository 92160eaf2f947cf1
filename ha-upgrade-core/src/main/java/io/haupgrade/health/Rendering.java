package io.haupgrade.health;

import io.haupgrade.spec.Template;
import io.haupgrade.spec.TemplateException;
import io.haupgrade.spec.Variables;
import java.util.function.Function;

/** Substitutes a node's variables into the non-shell parts of checks (URLs, host names). */
public interface Rendering {
    /** {@code template} with variables URL-encoded, for HTTP checks. */
    String url(String template, String node);

    /** {@code template} with variables as they are, for host names of TCP checks. */
    String text(String template, String node);

    /** Renders with the variables {@code varsFor} gives for a node (null for cluster-level checks). */
    static Rendering of(Function<String, Variables> varsFor) {
        return new Rendering() {
            @Override
            public String url(String template, String node) {
                try {
                    return Template.parse(template).renderUrl(varsFor.apply(node));
                } catch (TemplateException e) {
                    throw new IllegalArgumentException("cannot render URL '" + template + "': " + e.getMessage(), e);
                }
            }

            @Override
            public String text(String template, String node) {
                try {
                    return Template.parse(template).renderPlain(varsFor.apply(node));
                } catch (TemplateException e) {
                    throw new IllegalArgumentException("cannot render '" + template + "': " + e.getMessage(), e);
                }
            }
        };
    }
}
