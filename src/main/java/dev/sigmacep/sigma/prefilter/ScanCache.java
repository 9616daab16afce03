package dev.sigmacep.sigma.prefilter;

import java.util.Arrays;

/**
 * The recent String values one automaton scanned, with the candidate bits its patterns set for each, so that an
 * equal value in a later event is replayed instead of scanned: events repeat most values (channel, provider, host,
 * images, call traces, hashes, GUIDs). A direct-mapped table indexed by {@link String#hashCode}: the decoder's
 * interner has computed it already and the String caches it; the interned value is then found by identity, without
 * reading its chars. The bits are kept as (word, mask) pairs in one array per slot, so that a hit costs a few
 * dependent loads and no lookup of each pattern's owners. Confined to one thread (its {@link CandidateSet});
 * nothing is allocated once each slot has held its largest set of bits.
 */
final class ScanCache {
    private final String[] values;
    private final int[] hashes;
    /** per slot, made as needed: word index and mask in turn, the first {@link #foundLength} of them */
    private final long[][] found;
    private final int[] foundLength;
    private final int shift;
    /** the slot of the value {@link #replay} last missed */
    private int missed;

    /** @param bits log2 of the number of slots */
    ScanCache(int bits) {
        this.values = new String[1 << bits];
        this.hashes = new int[1 << bits];
        this.found = new long[1 << bits][];
        this.foundLength = new int[1 << bits];
        this.shift = 32 - bits;
    }

    /** Sets the candidate bits remembered for this value and returns true; false when it is not remembered. */
    boolean replay(String text, long[] candidateBits) {
        int hash = text.hashCode();
        int slot = (hash * 0x9E3779B9) >>> shift;
        String held = values[slot];
        if (held != text && (held == null || hashes[slot] != hash || !held.equals(text))) {
            missed = slot;
            return false;
        }
        long[] pairs = found[slot];
        for (int i = 0, n = foundLength[slot]; i < n; i += 2) {
            candidateBits[(int) pairs[i]] |= pairs[i + 1];
        }
        return true;
    }

    /** Remembers, for the value {@link #replay} just missed, the bits its scan set. */
    void record(String text, TouchedBits set) {
        int count = set.count();
        long[] pairs = found[missed];
        if (pairs == null || pairs.length < 2 * count) {
            pairs = found[missed] = new long[Math.max(8, Integer.highestOneBit(2 * count) * 2)];
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
