package io.haupgrade.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;

/** Loads texts that must fail and returns every error, for exact assertions. */
final class SpecAssertions {
    private SpecAssertions() {
    }

    static List<SpecError> errorsOf(String yaml) {
        return errorsOf(yaml, "lb.yaml");
    }

    static List<SpecError> errorsOf(String text, String source) {
        SpecException failure = catchThrowableOfType(SpecException.class, () -> SpecLoader.parse(text, source));
        assertThat(failure).as("expected %s to be invalid", source).isNotNull();
        return failure.errors();
    }

    static SpecError onlyError(String yaml) {
        List<SpecError> errors = errorsOf(yaml);
        assertThat(errors).as("errors").hasSize(1);
        return errors.get(0);
    }

    static ClusterSpec valid(String yaml) {
        try {
            return SpecLoader.parse(yaml, "ok.yaml");
        } catch (SpecException e) {
            throw new AssertionError("expected a valid spec, got:\n" + e.getMessage(), e);
        }
    }

    static SpecError error(int line, int column, String path, String message, String hint) {
        return new SpecError("lb.yaml", line, column, path, message, hint);
    }

    /** A minimal valid two-node file; tests append or replace parts. */
    static final String PAIR = """
            name: lb
            nodes:
              - name: lb1
                host: 192.0.2.11
              - name: lb2
                host: 192.0.2.12
            commands:
              upgrade: checkupgrades -i
            """;
}
