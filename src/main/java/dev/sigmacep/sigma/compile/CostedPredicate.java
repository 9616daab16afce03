package dev.sigmacep.sigma.compile;

import dev.sigmacep.field.EventPredicate;
import dev.sigmacep.field.Predicates;
import dev.sigmacep.sigma.model.Condition;
import dev.sigmacep.sigma.model.FieldItem;
import dev.sigmacep.sigma.model.Modifier;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A compiled piece of a detection with a rough cost: how many rule values a test may compare. AND and OR test
 * their cheapest operands first, so that a cheap operand that decides spares the expensive ones (e.g. a short
 * filter before a selection of hundreds of values). Operands are pure, so the order changes no result.
 */
record CostedPredicate(EventPredicate predicate, long cost) {
    /** a keyword is compared with every value of the event */
    private static final int KEYWORD_FACTOR = 16;
    /** a regular expression costs more than a literal comparison */
    private static final int REGEX_FACTOR = 4;

    static final Condition.Algebra<CostedPredicate> CHEAPEST_FIRST = new Condition.Algebra<>() {
        @Override
        public CostedPredicate and(List<CostedPredicate> operands) {
            List<CostedPredicate> sorted = cheapestFirst(operands);
            return new CostedPredicate(Predicates.and(predicates(sorted)), total(sorted));
        }

        @Override
        public CostedPredicate or(List<CostedPredicate> operands) {
            List<CostedPredicate> sorted = cheapestFirst(operands);
            return new CostedPredicate(Predicates.or(predicates(sorted)), total(sorted));
        }

        @Override
        public CostedPredicate not(CostedPredicate operand) {
            return new CostedPredicate(Predicates.not(operand.predicate), operand.cost);
        }
    };

    /** The cost of one detection item: its number of values, weighted by how they are compared. */
    static CostedPredicate entry(EventPredicate predicate, FieldItem item) {
        long cost = item.value() instanceof List<?> list ? list.size() : 1;
        if (item.spec().isKeyword()) {
            cost *= KEYWORD_FACTOR;
        }
        if (item.spec().has(Modifier.RE)) {
            cost *= REGEX_FACTOR;
        }
        return new CostedPredicate(predicate, cost);
    }

    private static List<CostedPredicate> cheapestFirst(List<CostedPredicate> operands) {
        List<CostedPredicate> sorted = new ArrayList<>(operands);
        sorted.sort(Comparator.comparingLong(CostedPredicate::cost)); // stable: equal costs keep the written order
        return sorted;
    }

    private static List<EventPredicate> predicates(List<CostedPredicate> operands) {
        return operands.stream().map(CostedPredicate::predicate).toList();
    }

    private static long total(List<CostedPredicate> operands) {
        long sum = 0;
        for (CostedPredicate operand : operands) {
            sum = Math.min(Long.MAX_VALUE / 2, sum + operand.cost);
        }
        return sum;
    }
}
