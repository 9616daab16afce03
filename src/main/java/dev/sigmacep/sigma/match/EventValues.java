package dev.sigmacep.sigma.match;

import java.util.List;

/**
 * Event values as matchers see them: a List value stands for its elements (it matches when any element matches),
 * a scalar for itself. Lists are walked by index, without an iterator; event lists are expected to be random access.
 */
final class EventValues {
    private EventValues() {
    }

    static boolean anyMatches(Object value, ValueMatcher matcher) {
        int count = count(value);
        for (int i = 0; i < count; i++) {
            Object element = element(value, i);
            if (element != null && matcher.matches(element)) {
                return true;
            }
        }
        return false;
    }

    /** How many scalars the value holds: its size for a List, 1 for a scalar, 0 for null. */
    static int count(Object value) {
        if (value instanceof List<?> list) {
            return list.size();
        }
        return value == null ? 0 : 1;
    }

    static Object element(Object value, int index) {
        return value instanceof List<?> list ? list.get(index) : value;
    }

    /** The string form of a scalar event value; booleans use constants, so only numbers allocate. */
    static String text(Object scalar) {
        if (scalar instanceof String text) {
            return text;
        }
        if (scalar instanceof Boolean bool) {
            return bool ? "true" : "false";
        }
        return String.valueOf(scalar);
    }
}
