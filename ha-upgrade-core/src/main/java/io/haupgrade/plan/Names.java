package io.haupgrade.plan;

import java.util.Collection;
import java.util.Locale;
import java.util.stream.Collectors;

/** Enum constants as a spec writes them ({@code active-passive}, {@code before-switchover}), for ids and messages. */
final class Names {
    private Names() {
    }

    static String of(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static String list(Collection<? extends Enum<?>> constants) {
        return constants.stream().map(Names::of).collect(Collectors.joining(", "));
    }
}
