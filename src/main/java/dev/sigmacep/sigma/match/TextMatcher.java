package dev.sigmacep.sigma.match;

/**
 * A matcher of an event value's string form. Strings and booleans are matched without allocating; integral
 * numbers go through {@link #matchesIntegral} so that subclasses can compare them without rendering them.
 */
abstract class TextMatcher implements ValueMatcher {

    @Override
    public final boolean matches(Object value) {
        if (value instanceof String text) {
            return matchesText(text);
        }
        if (value instanceof Long || value instanceof Integer) {
            return matchesIntegral(((Number) value).longValue());
        }
        return matchesText(EventValues.text(value));
    }

    abstract boolean matchesText(String text);

    boolean matchesIntegral(long number) {
        return matchesText(Long.toString(number));
    }
}
