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
 * @param fields the field names of {@code field} (value types), empty otherwise
 */
public record CorrelationCondition(List<Comparison> comparisons, List<String> fields) implements Serializable {
    public static final CorrelationCondition ALL_RULES = new CorrelationCondition(List.of(), List.of());

    public CorrelationCondition {
        comparisons = List.copyOf(comparisons);
        fields = List.copyOf(fields);
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

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One comparison of the correlation's measure (a count, a sum...) with a number. */
    public record Comparison(Operator operator, double value) implements Serializable {
        @Override
        public String toString() {
            return operator + " " + (value == Math.rint(value) && Math.abs(value) < 1e15 ? String.valueOf((long) value)
                    : String.valueOf(value));
        }
    }

    public boolean isEmpty() {
        return comparisons.isEmpty();
    }

    @Override
    public String toString() {
        String compared = comparisons.stream().map(Comparison::toString).collect(Collectors.joining(", "));
        return fields.isEmpty() ? compared : compared + " of " + String.join(", ", fields);
    }
}
