package io.haupgrade.spec;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the one field that a plain scalar fills when a whole object is written as a scalar, so that
 * {@code fence: pcs node standby} means {@code fence: [{run: pcs node standby}]}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Shorthand {
}
