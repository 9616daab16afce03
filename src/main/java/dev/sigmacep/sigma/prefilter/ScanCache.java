package dev.sigmacep.sigma.prefilter;

import java.util.Arrays;

/**
 * The recent String values one automaton scanned, with the candidate bits its patterns set for each, so that an
 * equal value in a later event is replayed instead of scanned: events repeat most values (channel, provider, host,
 * images, call traces, hashes, GUIDs). A direct-mapped table indexed by {@link String#hashCode}: the decoder's
 * interner has computed it already and the String caches it; the interned value is then found by identity, without
 * reading its chars. The bits are kept as (word, mask) pairs in one array per slot, so that a hit costs a few
 * dependent loads and no lookup of each pattern's owners. Confined to one thread (its {@link CandidateSet});
 * nothing is allocated once each slot has held its largest set of bits (or the table grows).
 *
 * <p>The table grows, up to a bound, where a larger one pays: when, over as many misses as it has slots, more than
 * a quarter of its lookups missed and the values missed were long enough that scanning them costs more than a
 * replay. The campaigns' {@code Hashes} field holds ~700 distinct values of ~195 chars per file, which a table of
 * 256 slots kept missing.
 */
final class ScanCache {
    /** values missed shorter than this on average are cheaper to scan again than to keep */
    static final int MIN_MEAN_CHARS = 32;
    /** a slot's first array of pairs: room for four words of bits */
    private static final int MIN_PAIRS = 8;

    private final int maxBits;
    private String[] values;
    private int[] hashes;
    /** per slot, made as needed: word index and mask in turn, the first {@link #foundLength} of them */
    private long[][] found;
    private int[] foundLength;
    private int shift;
    /** the slot of the value {@link #replay} last missed */
    private int missed;
    /** since the table last grew or was judged: lookups, misses and the chars of the values missed */
    private long lookups;
    private int misses;
    private long missedChars;

    /**
     * @param bits    log2 of the number of slots
     * @param maxBits log2 of the number of slots it may grow to
     */
    ScanCache(int bits, int maxBits) {
        this.maxBits = maxBits;
        allocate(bits);
    }

    private void allocate(int bits) {
        this.values = new String[1 << bits];
        this.hashes = new int[1 << bits];
        this.found = new long[1 << bits][];
        this.foundLength = new int[1 << bits];
        this.shift = 32 - bits;
    }

    /** Sets the candidate bits remembered for this value and returns true; false when it is not remembered. */
    boolean replay(String text, long[] candidateBits) {
        lookups++;
        int hash = text.hashCode();
        int slot = (hash * 0x9E3779B9) >>> shift;
        String held = values[slot];
        if (held != text && (held == null || hashes[slot] != hash || !held.equals(text))) {
            missedChars += text.length();
            if (++misses == values.length) {
                judgeSize();
                slot = (hash * 0x9E3779B9) >>> shift;
            }
            missed = slot;
            return false;
        }
        long[] pairs = found[slot];
        for (int i = 0, n = foundLength[slot]; i < n; i += 2) {
            candidateBits[(int) pairs[i]] |= pairs[i + 1];
        }
        return true;
    }

    /** Doubles the table (which starts empty again) when it missed too often on long values; see the class comment. */
    private void judgeSize() {
        int bits = 32 - shift;
        if (bits < maxBits && 4L * misses > lookups && missedChars >= (long) MIN_MEAN_CHARS * misses) {
            allocate(bits + 1);
            for (int slot = 0; slot < found.length; slot++) { // the values missed will fill most of them
                found[slot] = new long[MIN_PAIRS];
            }
        }
        lookups = 0;
        misses = 0;
        missedChars = 0;
    }

    /** Remembers, for the value {@link #replay} just missed, the bits its scan set. */
    void record(String text, TouchedBits set) {
        int count = set.count();
        long[] pairs = found[missed];
        if (pairs == null || pairs.length < 2 * count) {
            pairs = found[missed] = new long[Math.max(MIN_PAIRS, Integer.highestOneBit(2 * count) * 2)];
        }
        for (int i = 0; i < count; i++) {
            pairs[2 * i] = set.wordIndex(i);
            pairs[2 * i + 1] = set.word(i);
        }
        values[missed] = text;
        hashes[missed] = text.hashCode();
        foundLength[missed] = 2 * count;
    }

    /** For tests: the remembered pairs of a value, or null. */
    long[] pairsOf(String text) {
        int slot = (text.hashCode() * 0x9E3779B9) >>> shift;
        return text.equals(values[slot]) ? Arrays.copyOf(found[slot], foundLength[slot]) : null;
    }
}
