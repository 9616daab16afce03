package dev.sigmacep.sigma.match;

import java.util.List;
import java.util.RandomAccess;

/** How a matcher meets an event value that may be a List: a list matches when any of its elements matches. */
final class EventValues {
    private EventValues() {
    }

    static boolean anyMatches(Object value, ValueMatcher matcher) {
        if (value instanceof List<?> list) {
            if (list instanceof RandomAccess) {
                for (int i = 0; i < list.size(); i++) {
                    Object element = list.get(i);
                    if (element != null && matcher.matches(element)) {
                        return true;
                    }
                }
                return false;
            }
            for (Object element : list) {
                if (element != null && matcher.matches(element)) {
                    return true;
                }
            }
            return false;
        }
        return value != null && matcher.matches(value);
    }
}
