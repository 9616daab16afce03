package dev.sigmacep.sigma.match;

import dev.sigmacep.field.EventPredicate;
import dev.sigmacep.field.FieldSource;

/** {@code exists}: whether the event has the field at all, whatever its value. */
final class FieldExistsPredicate implements EventPredicate {
    private final String field;
    private final boolean expected;

    FieldExistsPredicate(String field, boolean expected) {
        this.field = field;
        this.expected = expected;
    }

    @Override
    public boolean test(FieldSource event) {
        return (event.field(field) != null) == expected;
    }
}
