package io.haupgrade.plan;

import io.haupgrade.spec.CommandSpec;
import io.haupgrade.spec.Hooks;
import java.util.List;

/** Which of the spec's {@link Hooks} a HOOK step runs. */
public enum Hook {
    BEFORE_ALL("before-all"),
    AFTER_ALL("after-all"),
    BEFORE_NODE("before-node"),
    AFTER_NODE("after-node");

    private final String label;

    Hook(String label) {
        this.label = label;
    }

    /** The name used in step ids and output, e.g. {@code before-all}. */
    public String label() {
        return label;
    }

    /** The commands of this hook in the spec. */
    public List<CommandSpec> commandsIn(Hooks hooks) {
        return switch (this) {
            case BEFORE_ALL -> hooks.beforeAll();
            case AFTER_ALL -> hooks.afterAll();
            case BEFORE_NODE -> hooks.beforeNode();
            case AFTER_NODE -> hooks.afterNode();
        };
    }
}
