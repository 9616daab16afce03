package dev.sigmacep.sigma.match;

import dev.sigmacep.field.EventPredicate;
import dev.sigmacep.field.FieldSource;

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
        return all ? allFound(event) : anyFound(event);
    }

    /** One pass over the event's values, trying every keyword on each. */
    private boolean anyFound(FieldSource event) {
        for (Object value : event.values()) {
            for (ValueMatcher keyword : keywords) {
                if (EventValues.anyMatches(value, keyword)) {
                    return true;
                }
            }
        }
        return false;
    }

    private boolean allFound(FieldSource event) {
        for (ValueMatcher keyword : keywords) {
            if (!found(event, keyword)) {
                return false;
            }
        }
        return true;
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
