package dev.sigmacep.sigma.model;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A detection's condition over its search identifiers: {@code 1 of}/{@code all of} are resolved when parsed into
 * {@link Or}/{@link And} over the identifiers they select; several conditions of one detection are an {@link Or}.
 */
public sealed interface Condition extends Serializable permits Condition.And, Condition.Or, Condition.Not, Condition.Identifier {

    record And(List<Condition> operands) implements Condition {
        public And {
            operands = List.copyOf(operands);
        }
    }

    record Or(List<Condition> operands) implements Condition {
        public Or {
            operands = List.copyOf(operands);
        }
    }

    record Not(Condition operand) implements Condition {
    }

    record Identifier(String name) implements Condition {
    }

    /** How a condition is built from what its identifiers stand for: compiled predicates, necessary literals... */
    interface Algebra<T> {
        T and(List<T> operands);

        T or(List<T> operands);

        T not(T operand);
    }

    /** This condition built with the algebra, each identifier standing for its value in {@code identifiers}. */
    default <T> T fold(Map<String, T> identifiers, Algebra<T> algebra) {
        if (this instanceof Identifier identifier) {
            T value = identifiers.get(identifier.name());
            if (value == null) {
                throw new IllegalArgumentException("no value for search identifier '" + identifier.name() + "'");
            }
            return value;
        }
        if (this instanceof Not not) {
            return algebra.not(not.operand().fold(identifiers, algebra));
        }
        List<Condition> operands = this instanceof And and ? and.operands() : ((Or) this).operands();
        List<T> built = new ArrayList<>(operands.size());
        for (Condition operand : operands) {
            built.add(operand.fold(identifiers, algebra));
        }
        return this instanceof And ? algebra.and(built) : algebra.or(built);
    }

    /** The operands as one condition: the only one itself, else their conjunction. */
    static Condition and(List<Condition> operands) {
        return operands.size() == 1 ? operands.get(0) : new And(operands);
    }

    /** The operands as one condition: the only one itself, else their disjunction. */
    static Condition or(List<Condition> operands) {
        return operands.size() == 1 ? operands.get(0) : new Or(operands);
    }
}
