package dev.sigmacep.field;

/**
 * Open-addressing tables keyed by field name (linear probing on the name's hash), as the event and the rule
 * prefilter keep them: the caller holds the names array, sized a power of two and never full, and a parallel
 * array of whatever the names map to. Decoded names and the names rules ask for are interned, so a name is
 * usually found by identity; another name in its way is passed over by its cached hash.
 */
public final class InternedNames {
    private InternedNames() {
    }

    /** The shift that turns a hash into a slot of a table of {@code capacity} (a power of two) slots. */
    public static int shift(int capacity) {
        return Integer.numberOfLeadingZeros(capacity - 1);
    }

    /** The slot holding the name, or -1 when the table does not hold it. */
    public static int find(String[] names, int shift, String name) {
        int hash = name.hashCode();
        int mask = names.length - 1;
        for (int slot = (hash * 0x9E3779B9) >>> shift; ; slot = (slot + 1) & mask) {
            String candidate = names[slot];
            if (candidate == null) {
                return -1;
            }
            if (candidate == name || candidate.hashCode() == hash && candidate.equals(name)) {
                return slot;
            }
        }
    }

    /** The slot holding the name, or {@code -1 - slot} for the free slot where it would go: one probe for both. */
    public static int findOrFree(String[] names, int shift, String name) {
        int hash = name.hashCode();
        int mask = names.length - 1;
        for (int slot = (hash * 0x9E3779B9) >>> shift; ; slot = (slot + 1) & mask) {
            String candidate = names[slot];
            if (candidate == null) {
                return -1 - slot;
            }
            if (candidate == name || candidate.hashCode() == hash && candidate.equals(name)) {
                return slot;
            }
        }
    }

    /** Puts a name that the table does not hold yet into a free slot, and returns that slot. */
    public static int add(String[] names, int shift, String name) {
        int mask = names.length - 1;
        int slot = (name.hashCode() * 0x9E3779B9) >>> shift;
        while (names[slot] != null) {
            slot = (slot + 1) & mask;
        }
        names[slot] = name;
        return slot;
    }
}
