package dev.sigmacep.sigma.prefilter;

/**
 * The recent String values one automaton scanned, with the patterns it found in each, so that an equal value in a
 * later event is replayed instead of scanned: events repeat most values (channel, provider, host, images, call
 * traces, hashes, GUIDs). A direct-mapped table indexed by {@link String#hashCode}: the decoder's interner has
 * computed it already and the String caches it; the interned value is then found by identity, without reading
 * its chars. Flat arrays, so that a hit costs few dependent loads. Confined to one thread (its
 * {@link CandidateSet}); nothing is allocated once each slot has held its largest list of patterns.
 */
final class ScanCache {
    /** a value with more pattern occurrences than this is not remembered */
    private static final int MAX_PATTERNS = 256;

    private final String[] values;
    private final int[] hashes;
    /** per slot: the patterns found in its value, the first {@link #counts} of them; made as needed */
    private final int[][] patterns;
    private final int[] counts;
    private final int shift;
    /** the slot of the value {@link #replay} last missed */
    private int missed;
    /** the slot being recorded into, or -1 */
    private int recording = -1;

    /** @param bits log2 of the number of slots */
    ScanCache(int bits) {
        this.values = new String[1 << bits];
        this.hashes = new int[1 << bits];
        this.patterns = new int[1 << bits][];
        this.counts = new int[1 << bits];
        this.shift = 32 - bits;
    }

    /** Selects the patterns remembered for this value and returns true; false when it is not remembered. */
    boolean replay(String text, CandidateSet candidates) {
        int hash = text.hashCode();
        int slot = (hash * 0x9E3779B9) >>> shift;
        String held = values[slot];
        if (held != text && (held == null || hashes[slot] != hash || !held.equals(text))) {
            missed = slot;
            return false;
        }
        int[] found = patterns[slot];
        for (int i = 0, n = counts[slot]; i < n; i++) {
            candidates.select(found[i]);
        }
        return true;
    }

    /** Starts remembering the scan of the value {@link #replay} just missed; {@link #add} takes what it finds. */
    void record(String text) {
        values[missed] = text;
        hashes[missed] = text.hashCode();
        counts[missed] = 0;
        if (patterns[missed] == null) {
            patterns[missed] = new int[8];
        }
        recording = missed;
    }

    void add(int pattern) {
        int slot = recording;
        if (slot < 0) {
            return;
        }
        int count = counts[slot];
        int[] found = patterns[slot];
        if (count > 0 && found[count - 1] == pattern) {
            return;
        }
        if (count == found.length) {
            if (count == MAX_PATTERNS) { // forget the value rather than replay part of its scan
                values[slot] = null;
                recording = -1;
                return;
            }
            found = patterns[slot] = java.util.Arrays.copyOf(found, 2 * count);
        }
        found[count] = pattern;
        counts[slot] = count + 1;
    }

    void endRecording() {
        recording = -1;
    }
}
