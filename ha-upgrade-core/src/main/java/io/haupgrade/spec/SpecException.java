package io.haupgrade.spec;

import java.util.List;
import java.util.stream.Collectors;

/** A cluster spec that cannot be used; holds every error found, not only the first. */
public class SpecException extends Exception {
    private final transient List<SpecError> errors;

    public SpecException(List<SpecError> errors) {
        super(summary(errors));
        this.errors = List.copyOf(errors);
    }

    public List<SpecError> errors() {
        return errors;
    }

    private static String summary(List<SpecError> errors) {
        if (errors.isEmpty()) {
            return "invalid cluster spec";
        }
        String source = errors.get(0).source();
        String head = "invalid cluster spec " + source + " (" + errors.size() + (errors.size() == 1 ? " error)" : " errors)");
        return head + System.lineSeparator()
                + errors.stream().map(SpecError::format).collect(Collectors.joining(System.lineSeparator()));
    }
}
