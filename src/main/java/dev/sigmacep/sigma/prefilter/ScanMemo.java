package dev.sigmacep.sigma.prefilter;

import java.util.Arrays;

/**
 * What scanning one String value found (an entry of a {@link ScanCache}), so that a later event holding an equal
 * value replays it: comparing two strings is much cheaper than a DFA step per char, and events repeat most values
 * (channel, provider, host, image, call trace...).
 */
final class ScanMemo {
    /** a value with more pattern occurrences than this is not remembered */
    private static final int MAX_PATTERNS = 256;

    private String value;
    private int hash;
    private int[] patterns = new int[8];
    private int count;
    private boolean complete;

    boolean holds(String text, int textHash) {
        return complete && hash == textHash && (text == value || text.equals(value));
    }

    void replay(CandidateSet candidates) {
        for (int i = 0; i < count; i++) {
            candidates.select(patterns[i]);
        }
    }

    void start(String text) {
        value = text;
        hash = text.hashCode();
        count = 0;
        complete = true;
    }

    void add(int pattern) {
        if (!complete || count > 0 && patterns[count - 1] == pattern) {
            return;
        }
        if (count == patterns.length) {
            if (count == MAX_PATTERNS) {
                complete = false;
                value = null;
                return;
            }
            patterns = Arrays.copyOf(patterns, 2 * count);
        }
        patterns[count++] = pattern;
    }
}
