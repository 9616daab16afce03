package dev.sigmacep.sigma.prefilter;

import dev.sigmacep.sigma.ConditionParser;

import java.io.Serializable;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What must hold for a rule to match: at least one of its {@link LiteralAtom}s, or nothing known ({@link #ALWAYS},
 * the rule must always be evaluated). It is implied by the rule, never the other way round, so it may only be
 * used to skip rules that cannot match.
 */
public final class NecessaryCondition implements Serializable {
    public static final NecessaryCondition ALWAYS = new NecessaryCondition(null);

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

    /** Prefers the condition whose weakest literal is longest (long literals are rare), then the one with fewer atoms. */
    private static final Comparator<NecessaryCondition> MORE_SELECTIVE_FIRST =
            Comparator.comparingInt(NecessaryCondition::shortestLiteral).reversed()
                    .thenComparingInt(condition -> condition.atoms.size());

    /** null for {@link #ALWAYS} */
    private final Set<LiteralAtom> atoms;

    private NecessaryCondition(Set<LiteralAtom> atoms) {
        this.atoms = atoms;
    }

    /** At least one of the atoms holds; there must be at least one. */
    public static NecessaryCondition atomsOf(Set<LiteralAtom> atoms) {
        if (atoms.isEmpty()) {
            throw new IllegalArgumentException("no atoms");
        }
        return new NecessaryCondition(Set.copyOf(atoms));
    }

    /** OR: any operand may be the one that holds, so any of their atoms; ALWAYS when one of them is. */
    public static NecessaryCondition anyOf(List<NecessaryCondition> operands) {
        Set<LiteralAtom> union = new LinkedHashSet<>();
        for (NecessaryCondition operand : operands) {
            if (operand.isAlways()) {
                return ALWAYS;
            }
            union.addAll(operand.atoms);
        }
        return union.isEmpty() ? ALWAYS : new NecessaryCondition(Set.copyOf(union));
    }

    /** AND: every operand holds, so the most selective one is enough; ALWAYS when none says anything. */
    public static NecessaryCondition allOf(List<NecessaryCondition> operands) {
        return operands.stream().filter(operand -> !operand.isAlways()).min(MORE_SELECTIVE_FIRST).orElse(ALWAYS);
    }

    public boolean isAlways() {
        return atoms == null;
    }

    /** The atoms of which one must hold; empty for {@link #ALWAYS}. */
    public Set<LiteralAtom> atoms() {
        return atoms == null ? Set.of() : atoms;
    }

    private int shortestLiteral() {
        return atoms.stream().mapToInt(atom -> atom.literal().length()).min().orElse(0);
    }

    private Object readResolve() {
        return atoms == null ? ALWAYS : this;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NecessaryCondition other && (atoms == null ? other.atoms == null : atoms.equals(other.atoms));
    }

    @Override
    public int hashCode() {
        return atoms == null ? 0 : atoms.hashCode();
    }

    @Override
    public String toString() {
        return atoms == null ? "ALWAYS"
                : atoms.stream().map(LiteralAtom::toString).sorted().collect(Collectors.joining(" | ", "any(", ")"));
    }
}
