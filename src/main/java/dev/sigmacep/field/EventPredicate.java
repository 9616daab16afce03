package dev.sigmacep.field;

import java.io.Serializable;

/** A compiled piece of a Sigma detection: true when the event satisfies it. Must not allocate per call. */
@FunctionalInterface
public interface EventPredicate extends Serializable {
    boolean test(FieldSource event);
}
