package dev.sigmacep.sigma.match;

import dev.sigmacep.sigma.model.Modifier;
import dev.sigmacep.sigma.model.FieldSpec;
import dev.sigmacep.sigma.SigmaRuleException;
import dev.sigmacep.sigma.text.Numbers;

/**
 * The numeric chains: {@code lt}, {@code lte}, {@code gt}, {@code gte} compare the event value as a number, and a
 * time modifier ({@code hour}, ...) first takes that part of a timestamp value; a time modifier alone compares for
 * equality. An event value that is not a number (or has no such date part) does not match.
 */
final class NumericMatcher implements ValueMatcher {
    private final Comparison comparison;
    /** the part of a timestamp to compare, or null to compare the value itself */
    private final DatePart datePart;
    private final boolean integralOperand;
    private final long longOperand;
    private final double doubleOperand;

    private enum Comparison {
        EQUAL, LESS, LESS_OR_EQUAL, GREATER, GREATER_OR_EQUAL;

        static Comparison of(Modifier modifier) {
            if (modifier == null) {
                return EQUAL;
            }
            return switch (modifier) {
                case LT -> LESS;
                case LTE -> LESS_OR_EQUAL;
                case GT -> GREATER;
                case GTE -> GREATER_OR_EQUAL;
                default -> throw new IllegalArgumentException("not a comparison: " + modifier);
            };
        }

        /** @param sign negative, zero or positive as the value is below, at or above the operand */
        boolean holds(int sign) {
            return switch (this) {
                case EQUAL -> sign == 0;
                case LESS -> sign < 0;
                case LESS_OR_EQUAL -> sign <= 0;
                case GREATER -> sign > 0;
                case GREATER_OR_EQUAL -> sign >= 0;
            };
        }
    }

    private NumericMatcher(Comparison comparison, DatePart datePart, boolean integralOperand, long longOperand,
                           double doubleOperand) {
        this.comparison = comparison;
        this.datePart = datePart;
        this.integralOperand = integralOperand;
        this.longOperand = longOperand;
        this.doubleOperand = doubleOperand;
    }

    static NumericMatcher compile(FieldSpec spec, Object value) throws SigmaRuleException {
        Comparison comparison = Comparison.of(spec.first(Modifier.Kind.COMPARISON));
        Modifier timeModifier = spec.first(Modifier.Kind.DATE_PART);
        DatePart datePart = timeModifier == null ? null : DatePart.of(timeModifier);
        String text = RuleValues.text(value).strip();
        boolean integral = value instanceof Integer || value instanceof Long
                || value instanceof String && (Numbers.isDecimalInteger(text) || Numbers.isHexInteger(text));
        if (integral) {
            long operand = Numbers.parseInteger(text);
            return new NumericMatcher(comparison, datePart, true, operand, operand);
        }
        boolean fraction = value instanceof Double || value instanceof String && Numbers.isDecimalFraction(text);
        if (!fraction) {
            throw new SigmaRuleException("value '" + text + "' of '" + spec.written() + "' is not a number");
        }
        if (datePart != null) {
            throw new SigmaRuleException("value '" + text + "' of '" + spec.written() + "' is not a whole number");
        }
        double operand = Double.parseDouble(text);
        return new NumericMatcher(comparison, null, false, (long) operand, operand);
    }

    @Override
    public boolean matches(Object value) {
        if (datePart != null) {
            int part = datePart.partOf(value);
            return part != DatePart.NONE && holds(part);
        }
        if (value instanceof Long || value instanceof Integer) {
            return holds(((Number) value).longValue());
        }
        if (value instanceof Double || value instanceof Float) {
            return holds(((Number) value).doubleValue());
        }
        if (value instanceof String text) {
            if (Numbers.isDecimalInteger(text) || Numbers.isHexInteger(text)) {
                return holds(Numbers.parseInteger(text));
            }
            if (Numbers.isDecimalFraction(text)) {
                return holds(Double.parseDouble(text));
            }
        }
        return false;
    }

    private boolean holds(long number) {
        return integralOperand ? comparison.holds(Long.compare(number, longOperand)) : holds((double) number);
    }

    private boolean holds(double number) {
        if (Double.isNaN(number)) {
            return false;
        }
        return comparison.holds(number < doubleOperand ? -1 : number > doubleOperand ? 1 : 0);
    }
}
