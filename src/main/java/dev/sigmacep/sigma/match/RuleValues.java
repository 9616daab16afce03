package dev.sigmacep.sigma.match;

import dev.sigmacep.sigma.model.Modifier;
import dev.sigmacep.sigma.model.FieldSpec;
import dev.sigmacep.sigma.SigmaRuleException;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;

/** The values of a detection item as SnakeYAML loaded them, checked and listed. */
final class RuleValues {
    private RuleValues() {
    }

    /**
     * The item's non-null value as a list of scalars (String, Number, Boolean, Date). The spec forbids null inside
     * a list, and {@code all} on a single value.
     */
    static List<Object> of(FieldSpec spec, Object value) throws SigmaRuleException {
        if (!(value instanceof List<?> list)) {
            checkScalar(spec, value);
            if (spec.has(Modifier.ALL)) {
                throw new SigmaRuleException("modifier 'all' in '" + spec.written() + "' needs a list of values");
            }
            return List.of(value);
        }
        if (list.isEmpty()) {
            throw new SigmaRuleException("'" + spec.written() + "' has an empty list of values");
        }
        for (Object element : list) {
            if (element == null) {
                throw new SigmaRuleException("null cannot be part of a list of values, in '" + spec.written() + "'");
            }
            checkScalar(spec, element);
        }
        if (spec.has(Modifier.ALL) && list.size() < 2) {
            throw new SigmaRuleException("modifier 'all' in '" + spec.written() + "' needs a list of two or more values");
        }
        return List.copyOf(list);
    }

    private static void checkScalar(FieldSpec spec, Object value) throws SigmaRuleException {
        boolean scalar = value instanceof String || value instanceof Number || value instanceof Boolean
                || value instanceof Date;
        if (!scalar) {
            throw new SigmaRuleException("values of '" + spec.written() + "' must be strings, numbers or booleans");
        }
    }

    /** The string form of a scalar rule value; a bare YAML date becomes its ISO form again. */
    static String text(Object value) {
        if (value instanceof Date date) {
            Instant instant = date.toInstant();
            boolean dateOnly = instant.atOffset(ZoneOffset.UTC).toLocalTime().toSecondOfDay() == 0
                    && instant.getNano() == 0;
            return dateOnly ? instant.atOffset(ZoneOffset.UTC).toLocalDate().toString() : instant.toString();
        }
        return String.valueOf(value);
    }
}
