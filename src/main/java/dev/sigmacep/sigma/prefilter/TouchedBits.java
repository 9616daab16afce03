package dev.sigmacep.sigma.prefilter;

import java.util.Arrays;

/**
 * A bitset that lists the words it has set, so that reading them back and clearing them costs what was set, not the
 * bitset's size: per scanned value, the patterns it reported and the candidate bits it set are a few words of many.
 * Grows as needed; scratch state of one thread.
 */
final class TouchedBits {
    private long[] words;
    private int[] touched;
    private int count;

    TouchedBits(int initialWords) {
        this.words = new long[Math.max(1, initialWords)];
        this.touched = new int[words.length];
    }

    /** Sets the bit; false when it was set already. */
    boolean add(int bit) {
        int w = bit >>> 6;
        if (w >= words.length) {
            words = Arrays.copyOf(words, Math.max(2 * words.length, w + 1));
            touched = Arrays.copyOf(touched, words.length);
        }
        long word = words[w];
        long mask = 1L << bit;
        if ((word & mask) != 0) {
            return false;
        }
        if (word == 0) {
            touched[count++] = w;
        }
        words[w] = word | mask;
        return true;
    }

    /** How many words have bits set. */
    int count() {
        return count;
    }

    /** The index of the {@code i}-th word set, in the order first set. */
    int wordIndex(int i) {
        return touched[i];
    }

    /** The bits of the {@code i}-th word set. */
    long word(int i) {
        return words[touched[i]];
    }

    void clear() {
        for (int i = 0; i < count; i++) {
            words[touched[i]] = 0;
        }
        count = 0;
    }
}
