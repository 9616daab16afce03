package dev.sigmacep.sigma.match;

import dev.sigmacep.sigma.EventPredicate;
import dev.sigmacep.sigma.FieldSource;

/**
 * A field tested against the matchers of a value list: any of them (the default), or all of them ({@code all}).
 * Each matcher stands for one rule value, whose expansions it already ORs. An absent field matches nothing.
 */
final class FieldValuePredicate implements EventPredicate {
    private final String field;
    private final ValueMatcher[] matchers;
    private final boolean all;

    FieldValuePredicate(String field, ValueMatcher[] matchers, boolean all) {
        this.field = field;
        this.matchers = matchers;
        this.all = all;
    }

    @Override
    public boolean test(FieldSource event) {
        Object value = event.field(field);
        if (value == null) {
            return false;
        }
        // stop at the first value that decides: a match for OR, a miss for AND
        for (ValueMatcher matcher : matchers) {
            if (EventValues.anyMatches(value, matcher) != all) {
                return !all;
            }
        }
        return all;
    }
}
