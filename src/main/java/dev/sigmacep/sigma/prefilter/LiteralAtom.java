package dev.sigmacep.sigma.prefilter;

import java.io.Serializable;

/**
 * "The value of {@code field} contains {@code literal}, ignoring case": the unit of a {@link NecessaryCondition}.
 * The literal is stored case-folded.
 */
public record LiteralAtom(String field, String literal) implements Serializable {

    public static LiteralAtom of(String field, String text) {
        return new LiteralAtom(field, CaseFold.fold(text));
    }

    @Override
    public String toString() {
        return field + "~'" + literal + "'";
    }
}
