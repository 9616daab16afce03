package dev.sigmacep.field;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** Boolean combinators over predicates: n-ary, short-circuit, loop over an array (no allocation per test). */
public final class Predicates {
    private Predicates() {
    }

    public static EventPredicate and(List<EventPredicate> operands) {
        return operands.size() == 1 ? operands.get(0) : new And(flatten(operands, And.class));
    }

    public static EventPredicate or(List<EventPredicate> operands) {
        return operands.size() == 1 ? operands.get(0) : new Or(flatten(operands, Or.class));
    }

    public static EventPredicate not(EventPredicate operand) {
        return operand instanceof Not not ? not.operand : new Not(operand);
    }

    /** (a and b) and c → and(a, b, c): keeps the tree shallow for long chains. */
    private static EventPredicate[] flatten(List<EventPredicate> operands, Class<?> kind) {
        if (operands.isEmpty()) {
            throw new IllegalArgumentException("no operands");
        }
        List<EventPredicate> flat = new ArrayList<>();
        for (EventPredicate operand : operands) {
            if (kind.isInstance(operand)) {
                flat.addAll(Arrays.asList(((Nary) operand).operands));
            } else {
                flat.add(operand);
            }
        }
        return flat.toArray(EventPredicate[]::new);
    }

    private abstract static class Nary implements EventPredicate {
        final EventPredicate[] operands;

        Nary(EventPredicate[] operands) {
            this.operands = operands;
        }

        String render(String operator) {
            return Arrays.stream(operands).map(String::valueOf).collect(Collectors.joining(", ", operator + "(", ")"));
        }
    }

    private static final class And extends Nary {
        And(EventPredicate[] operands) {
            super(operands);
        }

        @Override
        public boolean test(FieldSource event) {
            for (EventPredicate operand : operands) {
                if (!operand.test(event)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public String toString() {
            return render("and");
        }
    }

    private static final class Or extends Nary {
        Or(EventPredicate[] operands) {
            super(operands);
        }

        @Override
        public boolean test(FieldSource event) {
            for (EventPredicate operand : operands) {
                if (operand.test(event)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public String toString() {
            return render("or");
        }
    }

    private static final class Not implements EventPredicate {
        private final EventPredicate operand;

        Not(EventPredicate operand) {
            this.operand = operand;
        }

        @Override
        public boolean test(FieldSource event) {
            return !operand.test(event);
        }

        @Override
        public String toString() {
            return "not(" + operand + ")";
        }
    }
}
