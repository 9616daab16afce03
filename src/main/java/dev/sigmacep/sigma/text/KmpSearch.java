package dev.sigmacep.sigma.text;

import java.io.Serializable;

/** Knuth-Morris-Pratt search for a literal segment over case-folded chars: linear in the value, no backtracking. */
public final class KmpSearch implements Serializable {
    private final char[] folded;
    private final boolean caseSensitive;
    /** failure[i]: length of the longest proper prefix of folded[0..i] that is also its suffix */
    private final int[] failure;

    public KmpSearch(String literal, boolean caseSensitive) {
        this.caseSensitive = caseSensitive;
        this.folded = new char[literal.length()];
        for (int i = 0; i < folded.length; i++) {
            folded[i] = CaseFolding.fold(literal.charAt(i), caseSensitive);
        }
        this.failure = new int[folded.length];
        int matched = 0;
        for (int i = 1; i < folded.length; i++) {
            while (matched > 0 && folded[i] != folded[matched]) {
                matched = failure[matched - 1];
            }
            if (folded[i] == folded[matched]) {
                matched++;
            }
            failure[i] = matched;
        }
    }

    /** The literal's length in chars. */
    public int length() {
        return folded.length;
    }

    /** Leftmost offset in [from, end) where the whole literal fits before end, or -1. */
    public int find(String text, int from, int end) {
        int matched = 0;
        for (int i = from; i < end; i++) {
            char c = CaseFolding.fold(text.charAt(i), caseSensitive);
            while (matched > 0 && c != folded[matched]) {
                matched = failure[matched - 1];
            }
            if (c == folded[matched] && ++matched == folded.length) {
                return i - folded.length + 1;
            }
        }
        return -1;
    }
}
