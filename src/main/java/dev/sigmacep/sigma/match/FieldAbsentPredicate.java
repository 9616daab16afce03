package dev.sigmacep.sigma.match;

import dev.sigmacep.sigma.EventPredicate;
import dev.sigmacep.sigma.FieldSource;

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
