package dev.sigmacep.sigma.match;

import dev.sigmacep.field.EventPredicate;
import dev.sigmacep.field.FieldSource;

/** The rule value {@code null}: the field is absent or null. */
final class FieldAbsentPredicate implements EventPredicate {
    private final String field;

    FieldAbsentPredicate(String field) {
        this.field = field;
    }

    @Override
    public boolean test(FieldSource event) {
        return event.field(field) == null;
    }
}
