package dev.sigmacep.event;

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
    /** The hashes of the values in {@link #table}: a value interned from chars has not computed its own. */
    private final int[] hashes = new int[1 << BITS];

    String intern(String value) {
        if (value.length() > MAX_CHARS) {
            return value;
        }
        int hash = value.hashCode(); // computed once here, then cached in the String for every later use
        return intern(value, hash);
    }

    /**
     * The value held in {@code chars[offset, offset + length)} (a parser's buffer). Its slot comes from String's hash,
     * computed here four chars a step: String's own loop takes one char a step on JDK 17, and most values are
     * known ones. A new value's String computes its own hash only if it is ever used (most never are).
     */
    String intern(char[] chars, int offset, int length) {
        String value = new String(chars, offset, length);
        if (length > MAX_CHARS) {
            return value;
        }
        return intern(value, hash(chars, offset, length));
    }

    private String intern(String value, int hash) {
        int slot = (hash * 0x9E3779B9) >>> (32 - BITS);
        String known = table[slot];
        if (known != null && hashes[slot] == hash && known.equals(value)) {
            return known;
        }
        table[slot] = value;
        hashes[slot] = hash;
        return value;
    }

    /** {@link String#hashCode()} of the chars. */
    static int hash(char[] chars, int offset, int length) {
        int h = 0;
        int i = offset;
        int end = offset + length;
        for (; i + 3 < end; i += 4) { // 31^4, 31^3, 31^2: the same sum, with a shorter chain of multiplications
            h = 923_521 * h + 29_791 * chars[i] + 961 * chars[i + 1] + 31 * chars[i + 2] + chars[i + 3];
        }
        for (; i < end; i++) {
            h = 31 * h + chars[i];
        }
        return h;
    }
}
