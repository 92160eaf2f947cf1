package io.haupgrade.spec;

/**
 * A template that cannot be rendered: a {@code ${...}} that is not closed, or a variable with no value here.
 * The message names the variable and the template text, never the values of other variables.
 */
public class TemplateException extends Exception {
    private final String variable;
    private final String template;

    public TemplateException(String message, String variable, String template) {
        super(message);
        this.variable = variable;
        this.template = template;
    }

    /** The variable that has no value, or empty for a syntax error. */
    public String variable() {
        return variable == null ? "" : variable;
    }

    /** The text as written in the spec. */
    public String template() {
        return template;
    }
}
