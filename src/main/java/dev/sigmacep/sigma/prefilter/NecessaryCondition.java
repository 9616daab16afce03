package dev.sigmacep.sigma.prefilter;

import dev.sigmacep.sigma.ConditionParser;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What must hold for a rule to match: one or two clauses, each a set of {@link LiteralAtom}s of which at least one
 * holds; or nothing known ({@link #ALWAYS}, the rule must always be evaluated). It is implied by the rule, never
 * the other way round, so it may only be used to skip rules that cannot match.
 *
 * <p>Two clauses, because one literal of an AND is often common in some telemetry ({@code CallTrace} containing
 * {@code ntdll.dll+} in every process access event, {@code TargetImage} ending in {@code \lsass.exe} in an LSASS
 * dump) while another is rare ({@code GrantedAccess: 0x1440}): requiring both skips most of those rules.
 */
public final class NecessaryCondition implements Serializable {
    public static final NecessaryCondition ALWAYS = new NecessaryCondition(null);
    /**
     * A literal that must be the whole value is rarer than one that may occur anywhere in it: it scores as if it
     * were this much longer.
     */
    static final int WHOLE_VALUE_BONUS = 8;

    /** Builds conditions over a rule's condition expression. */
    public static final ConditionParser.Algebra<NecessaryCondition> ALGEBRA = new ConditionParser.Algebra<>() {
        @Override
        public NecessaryCondition and(List<NecessaryCondition> operands) {
            return allOf(operands);
        }

        @Override
        public NecessaryCondition or(List<NecessaryCondition> operands) {
            return anyOf(operands);
        }

        @Override
        public NecessaryCondition not(NecessaryCondition operand) {
            return ALWAYS; // a literal that must be absent says nothing about which literals are present
        }
    };

    /**
     * One or more atoms of which one holds. The score estimates how rare that is: the score of its weakest atom,
     * the length of its literal (long literals are rare) plus {@link #WHOLE_VALUE_BONUS} for whole values.
     */
    record Clause(Set<LiteralAtom> atoms, int score) implements Serializable {
        private static final Comparator<Clause> MORE_SELECTIVE_FIRST =
                Comparator.comparingInt(Clause::score).reversed().thenComparingInt(clause -> clause.atoms.size());

        static Clause union(List<Clause> clauses) {
            Set<LiteralAtom> atoms = new LinkedHashSet<>();
            int score = Integer.MAX_VALUE;
            for (Clause clause : clauses) {
                atoms.addAll(clause.atoms);
                score = Math.min(score, clause.score);
            }
            return new Clause(Set.copyOf(atoms), score);
        }

        Set<String> fields() {
            return atoms.stream().map(LiteralAtom::field).collect(Collectors.toSet());
        }

        @Override
        public String toString() {
            return atoms.stream().map(LiteralAtom::toString).sorted().collect(Collectors.joining(" | ", "any(", ")"));
        }
    }

    /** null for {@link #ALWAYS}; else one or two clauses, the more selective first */
    private final List<Clause> clauses;

    private NecessaryCondition(List<Clause> clauses) {
        this.clauses = clauses;
    }

    /** One atom that must hold. */
    public static NecessaryCondition atom(LiteralAtom atom, boolean wholeValue) {
        return new NecessaryCondition(List.of(new Clause(Set.of(atom),
                atom.literal().length() + (wholeValue ? WHOLE_VALUE_BONUS : 0))));
    }

    /**
     * OR: any operand may be the one that holds; ALWAYS when one of them is. Each operand implies each of its
     * clauses, so the union of the operands' first clauses holds, and the union of their second ones (an operand
     * with one clause gives it to both).
     */
    public static NecessaryCondition anyOf(List<NecessaryCondition> operands) {
        if (operands.isEmpty()) {
            return ALWAYS;
        }
        int size = 1;
        for (NecessaryCondition operand : operands) {
            if (operand.isAlways()) {
                return ALWAYS;
            }
            size = Math.max(size, operand.clauses.size());
        }
        List<Clause> result = new ArrayList<>();
        for (int c = 0; c < size; c++) {
            List<Clause> parts = new ArrayList<>();
            for (NecessaryCondition operand : operands) {
                parts.add(operand.clauses.get(Math.min(c, operand.clauses.size() - 1)));
            }
            result.add(Clause.union(parts));
        }
        return of(result);
    }

    /** AND: every operand holds, so every clause of each; the most selective ones are kept. ALWAYS when none says anything. */
    public static NecessaryCondition allOf(List<NecessaryCondition> operands) {
        List<Clause> all = new ArrayList<>();
        for (NecessaryCondition operand : operands) {
            if (!operand.isAlways()) {
                all.addAll(operand.clauses);
            }
        }
        return all.isEmpty() ? ALWAYS : of(all);
    }

    /**
     * The most selective clause, then the most selective one on other fields (literals of one field tend to occur
     * together: a call trace holds both {@code ntdll.dll+} and {@code KERNELBASE.dll+}), else on the same field;
     * never a clause that the first implies or that implies it (a superset or subset of its atoms).
     */
    private static NecessaryCondition of(List<Clause> candidates) {
        List<Clause> sorted = new ArrayList<>(candidates);
        sorted.sort(Clause.MORE_SELECTIVE_FIRST);
        Clause first = sorted.get(0);
        Clause second = null;
        for (Clause clause : sorted) {
            if (clause.atoms.containsAll(first.atoms) || first.atoms.containsAll(clause.atoms)) {
                continue;
            }
            if (second == null) {
                second = clause;
            }
            if (clause.fields().stream().noneMatch(first.fields()::contains)) {
                second = clause;
                break;
            }
        }
        return new NecessaryCondition(second == null ? List.of(first) : List.of(first, second));
    }

    public boolean isAlways() {
        return clauses == null;
    }

    /** The clauses, each of which must hold (at least one of its atoms); empty for {@link #ALWAYS}. */
    public List<Set<LiteralAtom>> clauses() {
        return clauses == null ? List.of() : clauses.stream().map(Clause::atoms).toList();
    }

    private Object readResolve() {
        return clauses == null ? ALWAYS : this;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NecessaryCondition other && (clauses == null ? other.clauses == null : clauses.equals(other.clauses));
    }

    @Override
    public int hashCode() {
        return clauses == null ? 0 : clauses.hashCode();
    }

    @Override
    public String toString() {
        return clauses == null ? "ALWAYS" : clauses.stream().map(Clause::toString).collect(Collectors.joining(" & "));
    }
}
