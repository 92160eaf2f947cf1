package io.haupgrade.health;

/** Substitutes a node's variables into the non-shell parts of checks (URLs, host names). */
public interface Rendering {
    /** {@code template} with variables URL-encoded, for HTTP checks. */
    String url(String template, String node);

    /** {@code template} with variables as they are, for host names of TCP checks. */
    String text(String template, String node);
}
