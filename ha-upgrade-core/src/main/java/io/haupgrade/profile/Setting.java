package io.haupgrade.profile;

import io.haupgrade.spec.Doc;
import io.haupgrade.spec.Required;
import java.util.List;

/** One setting a profile declares: what it means, its default, the values it allows. */
@Doc("A setting of the profile. Without a defaultValue, every cluster file using the profile must give it.")
public record Setting(
        @Required @Doc(value = "What the setting means; shown in errors and in the profile's documentation.",
                example = "The virtual IP address the pair shares.")
        String doc,
        @Doc(value = "Value when the cluster file gives none; may use variables such as ${node.host}.", example = "eth0")
        String defaultValue,
        @Doc(value = "The values allowed; any value when empty.", example = "[pcs, crmsh, auto]") List<String> choices,
        @Doc(value = "An example value, for the hint when the setting is missing.", example = "198.51.100.10")
        String example) {

    public Setting {
        choices = choices == null ? List.of() : List.copyOf(choices);
    }

    public boolean required() {
        return defaultValue == null;
    }
}
