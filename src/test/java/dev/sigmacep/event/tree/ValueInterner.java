package dev.sigmacep.event.tree;

/**
 * Hands out one shared String instance per recent field value. Telemetry repeats most values from one event to
 * the next (channel, host, image paths, call traces, hashes), so decoded events then share them: they take less
 * memory, and the rule prefilter recognises a value it has already scanned by identity and by the hash the String
 * caches, without reading its chars again.
 *
 * <p>A direct-mapped table of recent values: bounded (a value longer than {@link #MAX_CHARS} is not kept), never
 * a leak, and a miss only replaces the slot's older value. Safe to share between threads without locks: a String
 * is immutable and safely published, and a value is returned only after {@code equals}, so a race costs a miss.
 */
final class ValueInterner {
    static final int MAX_CHARS = 1024;
    private static final int BITS = 13;

    private final String[] table = new String[1 << BITS];

    String intern(String value) {
        if (value.length() > MAX_CHARS) {
            return value;
        }
        int hash = value.hashCode(); // computed once here, then cached in the String for every later use
        int slot = (hash * 0x9E3779B9) >>> (32 - BITS);
        String known = table[slot];
        if (known != null && known.hashCode() == hash && known.equals(value)) {
            return known;
        }
        table[slot] = value;
        return value;
    }
}
