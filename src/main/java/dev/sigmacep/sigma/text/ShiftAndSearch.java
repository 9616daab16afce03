package dev.sigmacep.sigma.text;

import java.io.Serializable;

/**
 * Bit-parallel (shift-and) search for a segment with {@code ?} or windash dashes, where KMP does not apply: bit i
 * of the state says that the segment's first i+1 positions match the value just read. Time is linear in the value
 * length times the number of 64-position words of the segment. Segments up to 64 characters, nearly all of them,
 * keep the state in a local; longer ones allocate one small state array per search.
 */
final class ShiftAndSearch implements Serializable {
    private static final int ASCII = 128;

    private final int length;
    private final int words;
    private final boolean caseSensitive;
    /** folded literal chars; 0 at wildcard and dash positions, which the masks below cover */
    private final char[] folded;
    private final byte[] kinds;
    private final long[] anyCharPositions;
    private final long[] dashPositions;
    /** [folded ASCII char][word]: positions of that literal char */
    private final long[][] asciiPositions;

    ShiftAndSearch(String chars, byte[] kinds, boolean caseSensitive) {
        this.length = chars.length();
        this.words = (length + 63) / 64;
        this.caseSensitive = caseSensitive;
        this.kinds = kinds;
        this.folded = new char[length];
        this.anyCharPositions = new long[words];
        this.dashPositions = new long[words];
        this.asciiPositions = new long[ASCII][words];
        for (int i = 0; i < length; i++) {
            long bit = 1L << (i & 63);
            switch (kinds[i]) {
                case WildcardString.ANY_ONE -> anyCharPositions[i >> 6] |= bit;
                case WildcardString.ANY_DASH -> dashPositions[i >> 6] |= bit;
                default -> {
                    folded[i] = CaseFolding.fold(chars.charAt(i), caseSensitive);
                    if (folded[i] < ASCII) {
                        asciiPositions[folded[i]][i >> 6] |= bit;
                    }
                }
            }
        }
    }

    /** Leftmost offset in [from, end) where the whole segment fits before end, or -1. */
    int find(String text, int from, int end) {
        return words == 1 ? findInOneWord(text, from, end) : findInWords(text, from, end);
    }

    private int findInOneWord(String text, int from, int end) {
        long lastBit = 1L << (length - 1);
        long state = 0;
        for (int i = from; i < end; i++) {
            state = ((state << 1) | 1) & positionsOf(text.charAt(i), 0);
            if ((state & lastBit) != 0) {
                return i - length + 1;
            }
        }
        return -1;
    }

    private int findInWords(String text, int from, int end) {
        long lastBit = 1L << ((length - 1) & 63);
        long[] state = new long[words];
        for (int i = from; i < end; i++) {
            char c = text.charAt(i);
            long carry = 1;
            for (int w = 0; w < words; w++) {
                long next = ((state[w] << 1) | carry) & positionsOf(c, w);
                carry = state[w] >>> 63;
                state[w] = next;
            }
            if ((state[words - 1] & lastBit) != 0) {
                return i - length + 1;
            }
        }
        return -1;
    }

    /** The segment positions (in one 64-position word) that accept the char. */
    private long positionsOf(char c, int word) {
        long positions = anyCharPositions[word];
        if (WildcardString.isDash(c)) {
            positions |= dashPositions[word];
        }
        char f = CaseFolding.fold(c, caseSensitive);
        if (f < ASCII) {
            return positions | asciiPositions[f][word];
        }
        for (int i = word * 64; i < Math.min(length, word * 64 + 64); i++) {
            if (kinds[i] == WildcardString.LITERAL && folded[i] == f) {
                positions |= 1L << (i & 63);
            }
        }
        return positions;
    }
}
