package dev.sigmacep.sigma.rule;

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
 */
public record CorrelationCondition(List<Comparison> comparisons, List<String> fields, double percentile)
        implements Serializable {
    public static final CorrelationCondition ALL_RULES = new CorrelationCondition(List.of(), List.of(), 0);

    public CorrelationCondition {
        comparisons = List.copyOf(comparisons);
        fields = List.copyOf(fields);
    }

    public CorrelationCondition(List<Comparison> comparisons, List<String> fields) {
        this(comparisons, fields, 0);
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

    public boolean isEmpty() {
        return comparisons.isEmpty();
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
        String compared = comparisons.stream().map(Comparison::toString).collect(Collectors.joining(", "));
        return fields.isEmpty() ? compared : compared + " of " + String.join(", ", fields);
    }
}
