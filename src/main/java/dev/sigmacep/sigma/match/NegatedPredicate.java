package dev.sigmacep.sigma.match;

import dev.sigmacep.sigma.EventPredicate;
import dev.sigmacep.sigma.FieldSource;

/** {@code neq}: the detection item with its values (OR, or AND with {@code all}) does not hold. */
final class NegatedPredicate implements EventPredicate {
    private final EventPredicate negated;

    NegatedPredicate(EventPredicate negated) {
        this.negated = negated;
    }

    @Override
    public boolean test(FieldSource event) {
        return !negated.test(event);
    }
}
