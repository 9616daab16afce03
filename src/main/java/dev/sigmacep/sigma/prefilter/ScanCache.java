package dev.sigmacep.sigma.prefilter;

/**
 * The recent String values one automaton scanned, with what it found in each, so that an equal value in a later
 * event is replayed instead of scanned: events repeat most values (channel, provider, host, images, call traces,
 * hashes, GUIDs). A direct-mapped table indexed by {@link String#hashCode}: the decoder's interner has computed it
 * already and the String caches it, and the interned value is found by identity, so a hit reads none of its chars.
 */
final class ScanCache {
    private final ScanMemo[] entries;
    private final int shift;
    /** the entry where the value {@link #find} missed goes */
    private int missed;

    /** @param bits log2 of the number of entries */
    ScanCache(int bits) {
        this.entries = new ScanMemo[1 << bits];
        this.shift = 32 - bits;
    }

    /** The memo holding this value, or null: then {@link #recordInto} takes the value's scan. */
    ScanMemo find(String text) {
        int hash = text.hashCode();
        missed = (hash * 0x9E3779B9) >>> shift;
        ScanMemo entry = entries[missed];
        return entry != null && entry.holds(text, hash) ? entry : null;
    }

    /** The memo to record the scan of the value {@link #find} just missed. */
    ScanMemo recordInto(String text) {
        ScanMemo entry = entries[missed];
        if (entry == null) { // created as needed, so that the caches of rare fields stay small
            entry = entries[missed] = new ScanMemo();
        }
        entry.start(text);
        return entry;
    }
}
