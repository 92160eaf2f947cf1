package io.haupgrade.health;

import io.haupgrade.spec.ClusterSpec;
import io.haupgrade.spec.Template;
import io.haupgrade.spec.TemplateException;
import io.haupgrade.spec.Variables;
import java.util.function.Function;

/** Substitutes a node's variables into the non-shell parts of checks (URLs, host names, header values). */
public interface Rendering {
    /** {@code template} with variables URL-encoded, for HTTP checks. */
    String url(String template, String node);

    /** {@code template} with variables as they are, for host names of TCP checks and HTTP headers. */
    String text(String template, String node);

    /**
     * This rendering with {@code ${primary.*}} the primary that a gate attempt has just discovered, when exactly
     * one node is primary: a check then judges the cluster as it is, not as it was before a switchover.
     */
    Rendering seeing(ClusterView view);

    /** Renders with the variables {@code varsFor} gives for a node (null for cluster-level checks). */
    static Rendering of(ClusterSpec spec, Function<String, Variables> varsFor) {
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

            @Override
            public Rendering seeing(ClusterView view) {
                return view.primary().map(primary -> of(spec, node -> varsFor.apply(node)
                        .withPrimary(spec.node(primary)))).orElse(this);
            }
        };
    }
}
