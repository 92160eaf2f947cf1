package io.haupgrade.spec;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Describes a spec field or type; the one text behind the JSON Schema, the spec reference and editor hints. */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.TYPE, ElementType.FIELD})
public @interface Doc {
    String value();

    /** An example value as it would be written in YAML, shown in the reference. */
    String example() default "";
}
