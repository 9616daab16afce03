package dev.sigmacep.sigma.match;

import dev.sigmacep.sigma.EventPredicate;
import dev.sigmacep.sigma.FieldSource;

/**
 * Keyword search: a keyword is found when any field value of the event matches it. With {@code all} every keyword
 * must be found, each possibly in a different field.
 */
final class KeywordPredicate implements EventPredicate {
    private final ValueMatcher[] keywords;
    private final boolean all;

    KeywordPredicate(ValueMatcher[] keywords, boolean all) {
        this.keywords = keywords;
        this.all = all;
    }

    @Override
    public boolean test(FieldSource event) {
        // stop at the first value that decides: a match for OR, a miss for AND
        for (ValueMatcher keyword : keywords) {
            if (found(event, keyword) != all) {
                return !all;
            }
        }
        return all;
    }

    private static boolean found(FieldSource event, ValueMatcher keyword) {
        for (Object value : event.values()) {
            if (EventValues.anyMatches(value, keyword)) {
                return true;
            }
        }
        return false;
    }
}
