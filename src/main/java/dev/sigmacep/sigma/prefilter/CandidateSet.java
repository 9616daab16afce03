package dev.sigmacep.sigma.prefilter;

import java.util.Arrays;
import java.util.function.IntConsumer;

/**
 * The rules selected for one event, as a bitset over rule indices; mutable scratch state, confined to one thread
 * and reused for every event. As the {@link AhoCorasick} sink it turns each found pattern into its owning rules.
 */
public final class CandidateSet implements IntConsumer {
    private final long[] bits;
    private boolean inUse;
    /** the owners of the patterns of the automaton being scanned */
    int[][] rulesByPattern;
    /** the values scanned for this event so far (by identity), so that the keyword pass skips them */
    private Object[] scanned = new Object[16];
    private int scannedCount;

    CandidateSet(int rules) {
        this.bits = new long[words(rules)];
    }

    void scanned(Object value) {
        if (scannedCount == scanned.length) {
            scanned = Arrays.copyOf(scanned, 2 * scannedCount); // grows to the most fields of a route, once
        }
        scanned[scannedCount++] = value;
    }

    boolean wasScanned(Object value) {
        for (int i = 0; i < scannedCount; i++) {
            if (scanned[i] == value) {
                return true;
            }
        }
        return false;
    }

    static int words(int rules) {
        return (rules + 63) >>> 6;
    }

    /** Takes the set for one event's selection and evaluation; false when it is already taken (a nested match). */
    public boolean acquire() {
        if (inUse) {
            return false;
        }
        inUse = true;
        return true;
    }

    public void release() {
        inUse = false;
    }

    /** Forgets the scanned values: the set holds no event beyond its selection. */
    void forgetScanned() {
        Arrays.fill(scanned, 0, scannedCount, null);
        scannedCount = 0;
    }

    void clear() {
        Arrays.fill(bits, 0L);
    }

    @Override
    public void accept(int pattern) {
        for (int rule : rulesByPattern[pattern]) {
            bits[rule >>> 6] |= 1L << rule;
        }
    }

    void restrictTo(RouteFilter route) {
        long[] mask = route.mask();
        long[] always = route.always();
        for (int w = 0; w < bits.length; w++) {
            bits[w] = bits[w] & mask[w] | always[w];
        }
    }

    /** Number of 64-bit words; word {@code w} holds rules {@code 64w ... 64w+63}, rule {@code r} at bit {@code r % 64}. */
    public int wordCount() {
        return bits.length;
    }

    public long word(int w) {
        return bits[w];
    }
}
