package dev.sigmacep.sigma.prefilter;

import dev.sigmacep.sigma.model.Condition;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What must hold for a rule to match: one or two clauses, each a set of {@link LiteralAtom}s of which at least one
 * holds; or nothing known ({@link #ALWAYS}, the rule must always be evaluated). It is implied by the rule, never
 * the other way round, so it may only be used to skip rules that cannot match.
 *
 * <p>Also the atoms that <em>exclude</em> the rule: a filter such as {@code not 1 of filter_*} where one filter is
 * {@code ImageLoaded|contains: ['C:\Windows\System32\', ...]} fails whenever one of those literals occurs, so the
 * rule cannot match then. Only exact atoms qualify: plain case-insensitive ASCII {@code contains} literals, kept
 * whole, whose presence the automata report exactly as the matchers would find it. To derive them, each expression
 * also knows its <em>sufficient</em> atoms (one present makes it true), which {@code not} turns into exclusions.
 *
 * <p>Two clauses, because one literal of an AND is often common in some telemetry ({@code CallTrace} containing
 * {@code ntdll.dll+} in every process access event, {@code TargetImage} ending in {@code \lsass.exe} in an LSASS
 * dump) while another is rare ({@code GrantedAccess: 0x1440}): requiring both skips most of those rules.
 */
public final class NecessaryCondition implements Serializable {
    public static final NecessaryCondition ALWAYS = new NecessaryCondition(null, Set.of(), Set.of());
    /**
     * A literal that must be the whole value is rarer than one that may occur anywhere in it: it scores as if it
     * were this much longer.
     */
    static final int WHOLE_VALUE_BONUS = 8;

    /** Builds conditions over a rule's condition expression. */
    public static final Condition.Algebra<NecessaryCondition> ALGEBRA = new Condition.Algebra<>() {
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
            // a literal that must be absent says nothing about which literals are present: no clauses
            return new NecessaryCondition(null, operand.excluding, operand.sufficient);
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

    /** null when nothing is known (the rule is always evaluated); else one or two clauses, the more selective first */
    private final List<Clause> clauses;
    /** exact atoms of which any one, present, makes the expression true */
    private final Set<LiteralAtom> sufficient;
    /** exact atoms of which any one, present, makes the expression false */
    private final Set<LiteralAtom> excluding;

    private NecessaryCondition(List<Clause> clauses, Set<LiteralAtom> sufficient, Set<LiteralAtom> excluding) {
        this.clauses = clauses;
        this.sufficient = Set.copyOf(sufficient);
        this.excluding = Set.copyOf(excluding);
    }

    /**
     * One atom that must hold.
     *
     * @param wholeValue the pattern must be the whole value (it then ranks as more selective)
     * @param sufficient exact atoms whose presence alone makes the entry true (a whole, plain {@code contains}
     *                   literal; not cut like the atom)
     */
    public static NecessaryCondition atom(LiteralAtom atom, boolean wholeValue, Set<LiteralAtom> sufficient) {
        return new NecessaryCondition(List.of(new Clause(Set.of(atom),
                atom.literal().length() + (wholeValue ? WHOLE_VALUE_BONUS : 0))), sufficient, Set.of());
    }

    /** One atom that must hold, and nothing more. */
    public static NecessaryCondition atom(LiteralAtom atom, boolean wholeValue) {
        return atom(atom, wholeValue, Set.of());
    }

    /** An entry with no usable literal, but whose exact atoms (if any) still make it true. */
    static NecessaryCondition sufficientOnly(Set<LiteralAtom> sufficient) {
        return new NecessaryCondition(null, sufficient, Set.of());
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
        Set<LiteralAtom> sufficient = new LinkedHashSet<>(); // any operand true makes the OR true
        Set<LiteralAtom> excluding = new LinkedHashSet<>(operands.get(0).excluding); // all must be false
        boolean always = false;
        int size = 1;
        for (NecessaryCondition operand : operands) {
            sufficient.addAll(operand.sufficient);
            excluding.retainAll(operand.excluding);
            always |= operand.isAlways();
            size = always ? size : Math.max(size, operand.clauses.size());
        }
        if (always) {
            return new NecessaryCondition(null, sufficient, excluding);
        }
        List<Clause> result = new ArrayList<>();
        for (int c = 0; c < size; c++) {
            List<Clause> parts = new ArrayList<>();
            for (NecessaryCondition operand : operands) {
                parts.add(operand.clauses.get(Math.min(c, operand.clauses.size() - 1)));
            }
            result.add(Clause.union(parts));
        }
        return of(result, sufficient, excluding);
    }

    /** AND: every operand holds, so every clause of each; the most selective ones are kept. ALWAYS when none says anything. */
    public static NecessaryCondition allOf(List<NecessaryCondition> operands) {
        List<Clause> all = new ArrayList<>();
        Set<LiteralAtom> excluding = new LinkedHashSet<>(); // any operand false makes the AND false
        for (NecessaryCondition operand : operands) {
            if (!operand.isAlways()) {
                all.addAll(operand.clauses);
            }
            excluding.addAll(operand.excluding);
        }
        // an atom is sufficient for the AND only if it is for the single operand
        Set<LiteralAtom> sufficient = operands.size() == 1 ? operands.get(0).sufficient : Set.of();
        return all.isEmpty() ? new NecessaryCondition(null, sufficient, excluding) : of(all, sufficient, excluding);
    }

    /**
     * The most selective clause, then the most selective one on other fields (literals of one field tend to occur
     * together: a call trace holds both {@code ntdll.dll+} and {@code KERNELBASE.dll+}), else on the same field;
     * never a clause that the first implies or that implies it (a superset or subset of its atoms).
     */
    private static NecessaryCondition of(List<Clause> candidates, Set<LiteralAtom> sufficient, Set<LiteralAtom> excluding) {
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
        return new NecessaryCondition(second == null ? List.of(first) : List.of(first, second), sufficient, excluding);
    }

    public boolean isAlways() {
        return clauses == null;
    }

    /** The clauses, each of which must hold (at least one of its atoms); empty for {@link #ALWAYS}. */
    public List<Set<LiteralAtom>> clauses() {
        return clauses == null ? List.of() : clauses.stream().map(Clause::atoms).toList();
    }

    /** Atoms of which any one, present, means the rule cannot match. */
    public Set<LiteralAtom> excluding() {
        return excluding;
    }

    private Object readResolve() {
        return equals(ALWAYS) ? ALWAYS : this;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NecessaryCondition other && Objects.equals(clauses, other.clauses)
                && sufficient.equals(other.sufficient) && excluding.equals(other.excluding);
    }

    @Override
    public int hashCode() {
        return Objects.hash(clauses, sufficient, excluding);
    }

    /** The clauses, then the excluding atoms: {@code any(a | b) & any(c) & not(any(d))}. */
    @Override
    public String toString() {
        String required = clauses == null ? "ALWAYS" : clauses.stream().map(Clause::toString).collect(Collectors.joining(" & "));
        return excluding.isEmpty() ? required : required + " & not(" + new Clause(excluding, 0) + ")";
    }
}
