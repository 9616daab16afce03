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

    String intern(String value) {
        if (value.length() > MAX_CHARS) {
            return value;
        }
        int hash = value.hashCode(); // computed once here, then cached in the String for every later use
        int slot = slot(hash);
        String known = table[slot];
        if (known != null && known.hashCode() == hash && known.equals(value)) {
            return known;
        }
        table[slot] = value;
        return value;
    }

    /**
     * The value held in {@code chars[offset, offset + length)} (a parser's buffer): a known value is found without
     * making a String of it first. The hash is String's, so a String made here has the same.
     */
    String intern(char[] chars, int offset, int length) {
        if (length > MAX_CHARS) {
            return new String(chars, offset, length);
        }
        int hash = 0;
        for (int i = offset; i < offset + length; i++) {
            hash = 31 * hash + chars[i];
        }
        int slot = slot(hash);
        String known = table[slot];
        if (known != null && known.length() == length && known.hashCode() == hash && sameChars(known, chars, offset)) {
            return known;
        }
        String value = new String(chars, offset, length);
        table[slot] = value;
        return value;
    }

    private static boolean sameChars(String known, char[] chars, int offset) {
        for (int i = 0; i < known.length(); i++) {
            if (known.charAt(i) != chars[offset + i]) return false;
        }
        return true;
    }

    private static int slot(int hash) {
        return (hash * 0x9E3779B9) >>> (32 - BITS);
    }
}
