package dev.sigmacep.event;

import java.util.Arrays;

/**
 * Hands out one shared String instance per recent field value. Telemetry repeats most values from one event to
 * the next (channel, host, image paths, call traces, hashes), so decoded events then share them: they take less
 * memory, and the rule prefilter recognises a value it has already scanned by identity and by the hash the String
 * caches, without reading its chars again.
 *
 * <p>A direct-mapped table of recent values: bounded (a value longer than {@link #MAX_CHARS} is not kept; at most
 * {@code 2^BITS} values, each also kept as chars, so a few MB at worst), never a leak, and a miss only replaces the
 * slot's older value. One thread at a time (its decoder's).
 */
final class ValueInterner {
    static final int MAX_CHARS = 1024;
    private static final int BITS = 13;

    private final String[] table = new String[1 << BITS];
    /** The hashes of the values in {@link #table}: a value interned from chars has not computed its own. */
    private final int[] hashes = new int[1 << BITS];
    /**
     * The values' chars, so that a parser's chars are compared before a String is made of them: most values are
     * known ones, and a String made only to be compared and dropped was a tenth of decoding.
     */
    private final char[][] chars = new char[1 << BITS][];

    String intern(String value) {
        if (value.length() > MAX_CHARS) {
            return value;
        }
        int hash = value.hashCode(); // computed once here, then cached in the String for every later use
        int slot = slot(hash);
        String known = table[slot];
        if (known != null && hashes[slot] == hash && known.equals(value)) {
            return known;
        }
        keep(slot, hash, value, value.toCharArray());
        return value;
    }

    /**
     * The value held in {@code text[offset, offset + length)} (a parser's buffer). Its slot comes from String's hash,
     * computed here four chars a step: String's own loop takes one char a step on JDK 17. A new value's String
     * computes its own hash only if it is ever used (most never are).
     */
    String intern(char[] text, int offset, int length) {
        if (length > MAX_CHARS) {
            return new String(text, offset, length);
        }
        int hash = hash(text, offset, length);
        int slot = slot(hash);
        char[] known = chars[slot];
        if (known != null && hashes[slot] == hash && Arrays.equals(known, 0, known.length, text, offset, offset + length)) {
            return table[slot];
        }
        String value = new String(text, offset, length);
        keep(slot, hash, value, Arrays.copyOfRange(text, offset, offset + length));
        return value;
    }

    private static int slot(int hash) {
        return (hash * 0x9E3779B9) >>> (32 - BITS);
    }

    private void keep(int slot, int hash, String value, char[] valueChars) {
        table[slot] = value;
        hashes[slot] = hash;
        chars[slot] = valueChars;
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
