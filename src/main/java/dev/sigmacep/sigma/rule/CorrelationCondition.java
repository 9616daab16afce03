package dev.sigmacep.sigma.rule;

import dev.sigmacep.sigma.model.Condition;

import java.io.Serializable;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A correlation's {@code condition}: comparisons that must all hold (several make a range, e.g. {@code gt: 10, lte:
 * 100}), and for the value types the event field they are about. Empty for a temporal correlation without a
 * condition: then every referenced rule must match.
 *
 * @param fields     the field names of {@code field} (value types), empty otherwise
 * @param percentile for {@code value_percentile} (RSigma's {@code percentile} key, default 50) and
 *                   {@code value_median} (50): which percentile of the values is compared; 0 for other types
 * @param expression for temporal types, the extended condition (SEP 198, as pySigma reads it): a boolean expression
 *                   with {@code and}, {@code or}, {@code not} over the referenced rules as {@code rules} writes them;
 *                   null otherwise
 */
public record CorrelationCondition(List<Comparison> comparisons, List<String> fields, double percentile,
                                   Condition expression) implements Serializable {
    public static final CorrelationCondition ALL_RULES = new CorrelationCondition(List.of(), List.of(), 0, null);

    public CorrelationCondition {
        comparisons = List.copyOf(comparisons);
        fields = List.copyOf(fields);
    }

    public CorrelationCondition(List<Comparison> comparisons, List<String> fields) {
        this(comparisons, fields, 0, null);
    }

    public CorrelationCondition(List<Comparison> comparisons, List<String> fields, double percentile) {
        this(comparisons, fields, percentile, null);
    }

    /** An extended temporal condition. */
    public static CorrelationCondition of(Condition expression) {
        return new CorrelationCondition(List.of(), List.of(), 0, expression);
    }

    /** Whether the expression holds when exactly the rules in {@code seen} (by name) matched. */
    public boolean holds(java.util.Set<String> seen) {
        return expression.fold(new ExpressionValues(seen), new Condition.Algebra<>() {
            @Override
            public Boolean and(List<Boolean> operands) {
                return operands.stream().allMatch(Boolean::booleanValue);
            }

            @Override
            public Boolean or(List<Boolean> operands) {
                return operands.stream().anyMatch(Boolean::booleanValue);
            }

            @Override
            public Boolean not(Boolean operand) {
                return !operand;
            }
        });
    }

    /** Whether the expression negates a rule somewhere (absence), so it can only be judged when a span closes. */
    public boolean hasAbsence() {
        return expression != null && expression.fold(new ExpressionValues(null), new Condition.Algebra<Boolean>() {
            @Override
            public Boolean and(List<Boolean> operands) {
                return operands.contains(true);
            }

            @Override
            public Boolean or(List<Boolean> operands) {
                return operands.contains(true);
            }

            @Override
            public Boolean not(Boolean operand) {
                return true;
            }
        });
    }

    /** Every identifier's truth: whether it is in {@code seen}; with no set, false (for structural folds). */
    private static final class ExpressionValues extends java.util.AbstractMap<String, Boolean> {
        private final java.util.Set<String> seen;

        ExpressionValues(java.util.Set<String> seen) {
            this.seen = seen;
        }

        @Override
        public Boolean get(Object name) {
            return seen != null && seen.contains(name);
        }

        @Override
        public java.util.Set<Entry<String, Boolean>> entrySet() {
            throw new UnsupportedOperationException("looked up by name only");
        }
    }

    public enum Operator {
        GT, GTE, LT, LTE, EQ, NEQ;

        /** The operator as Sigma writes it ({@code gte}), or null. */
        public static Operator byName(String written) {
            for (Operator operator : values()) {
                if (operator.toString().equals(written)) {
                    return operator;
                }
            }
            return null;
        }

        /** Whether only large enough measures pass (gt, gte): then more events can only make it hold. */
        public boolean lowerBound() {
            return this == GT || this == GTE;
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One comparison of the correlation's measure (a count, a sum...) with a number. */
    public record Comparison(Operator operator, double value) implements Serializable {
        public boolean holds(double measure) {
            return switch (operator) {
                case GT -> measure > value;
                case GTE -> measure >= value;
                case LT -> measure < value;
                case LTE -> measure <= value;
                case EQ -> measure == value;
                case NEQ -> measure != value;
            };
        }

        @Override
        public String toString() {
            return operator + " " + (value == Math.rint(value) && Math.abs(value) < 1e15 ? String.valueOf((long) value)
                    : String.valueOf(value));
        }
    }

    /** No comparison and no expression: a temporal correlation that needs every rule. */
    public boolean isEmpty() {
        return comparisons.isEmpty() && expression == null;
    }

    /** Whether the measure passes every comparison. */
    public boolean holds(double measure) {
        for (Comparison comparison : comparisons) {
            if (!comparison.holds(measure)) {
                return false;
            }
        }
        return true;
    }

    /** Whether every comparison is a lower bound (gt, gte), so the condition can be checked as each event comes. */
    public boolean onlyLowerBounds() {
        return comparisons.stream().allMatch(comparison -> comparison.operator().lowerBound());
    }

    @Override
    public String toString() {
        if (expression != null) {
            return expression.toString();
        }
        String compared = comparisons.stream().map(Comparison::toString).collect(Collectors.joining(", "));
        return fields.isEmpty() ? compared : compared + " of " + String.join(", ", fields);
    }
}
