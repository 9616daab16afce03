package dev.sigmacep.sigma.match;

import java.util.List;

/** The expansions of one rule value (by base64offset or expand): any of them may match. */
final class AnyOfMatcher implements ValueMatcher {
    private final ValueMatcher[] alternatives;

    private AnyOfMatcher(ValueMatcher[] alternatives) {
        this.alternatives = alternatives;
    }

    static ValueMatcher of(List<ValueMatcher> alternatives) {
        return alternatives.size() == 1 ? alternatives.get(0) : new AnyOfMatcher(alternatives.toArray(ValueMatcher[]::new));
    }

    List<ValueMatcher> alternatives() {
        return List.of(alternatives);
    }

    @Override
    public boolean matches(Object value) {
        for (ValueMatcher alternative : alternatives) {
            if (alternative.matches(value)) {
                return true;
            }
        }
        return false;
    }
}
