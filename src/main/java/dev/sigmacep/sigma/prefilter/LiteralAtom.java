package dev.sigmacep.sigma.prefilter;

import dev.sigmacep.sigma.text.CaseFolding;

import java.io.Serializable;

/**
 * "The value of {@code field} contains {@code literal}, ignoring case": the unit of a {@link NecessaryCondition}.
 * The field {@value #ANY_FIELD} (a keyword search) means any value of the event. The literal is stored case-folded.
 */
public record LiteralAtom(String field, String literal) implements Serializable {
    public static final String ANY_FIELD = "";

    public static LiteralAtom of(String field, String text) {
        return new LiteralAtom(field, CaseFolding.fold(text));
    }

    @Override
    public String toString() {
        return field + "~'" + literal + "'";
    }
}
