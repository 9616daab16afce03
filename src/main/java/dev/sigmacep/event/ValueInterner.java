package dev.sigmacep.event;

import com.fasterxml.jackson.core.JsonParser;
import dev.sigmacep.serialize.ByteSearch;

import java.io.IOException;
import java.util.Arrays;

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
    /** Recent JSON strings by their bytes as written: a known value is found without decoding it. */
    private final JsonString[] jsonStrings = new JsonString[1 << BITS];
    /** Their hashes (another thread may see one that does not match its slot: the entry's own hash is checked too). */
    private final int[] jsonHashes = new int[1 << BITS];

    /** Immutable, so that a slot read by another thread holds bytes and value of the same string. */
    private record JsonString(byte[] bytes, int hash, String value) {
    }

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

    /**
     * The value of the JSON string token the parser has just returned, whose bytes as written (escapes and all) start
     * at {@code start}, just after its opening quote, in {@code json}, which ends at {@code limit}. Equal bytes make
     * an equal string whatever their escapes say, so a string seen recently is found by its bytes alone, and the
     * parser then skips it instead of decoding it: most values of a record repeat earlier records' (paths, hashes,
     * call traces), and decoding them into chars, making a String and comparing it is the costly part of reading them.
     */
    String internJsonString(JsonParser parser, byte[] json, int start, int limit) throws IOException {
        long found = hashToClosingQuote(json, start, Math.min(limit, start + MAX_CHARS)); // a longer one is not kept
        if (found < 0) return intern(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
        int end = (int) (found >>> 32);
        int hash = (int) found;
        int slot = (hash * 0x9E3779B9) >>> (32 - BITS);
        if (jsonHashes[slot] == hash) { // a dense array first: most new values end here, without a cache miss
            JsonString known = jsonStrings[slot];
            if (known != null && known.hash == hash && Arrays.equals(known.bytes, 0, known.bytes.length, json, start,
                    end)) {
                return known.value;
            }
        }
        String value = intern(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
        jsonStrings[slot] = new JsonString(Arrays.copyOfRange(json, start, end), hash, value);
        jsonHashes[slot] = hash;
        return value;
    }

    /**
     * The string's closing quote ({@link JsonStringBytes#closingQuote}) and {@link #hash} of its bytes, found in one
     * pass, as {@code end << 32 | hash}; -1 when there is no closing quote before {@code limit}. Every value read
     * from bytes goes through here, new ones too: one pass over the bytes instead of two.
     */
    static long hashToClosingQuote(byte[] json, int start, int limit) {
        long hash = 0;
        for (int i = start; i + Long.BYTES <= limit; i += Long.BYTES) {
            long word = ByteSearch.word(json, i);
            int quote = i + ByteSearch.firstInWord(word, (byte) '"');
            if (quote < i + Long.BYTES) {
                if (JsonStringBytes.isEscaped(json, start, quote)) break; // rare: the two passes below
                for (int j = i; j < quote; j++) hash = mix(hash, json[j]);
                return packed(quote, hash);
            }
            hash = mix(hash, word);
        }
        int end = JsonStringBytes.closingQuote(json, start, limit);
        return end < 0 ? -1 : packed(end, hash(json, start, end));
    }

    private static long packed(int end, long hash) {
        return (long) end << 32 | (int) (hash ^ (hash >>> 32)) & 0xFFFF_FFFFL;
    }

    /** A hash of {@code json[start, end)}: its whole eight-byte words from the start, then the other bytes singly. */
    static long hash(byte[] json, int start, int end) {
        long hash = 0;
        int i = start;
        for (; i + Long.BYTES <= end; i += Long.BYTES) hash = mix(hash, ByteSearch.word(json, i));
        for (; i < end; i++) hash = mix(hash, json[i]);
        return hash;
    }

    private static long mix(long hash, long value) {
        return (hash ^ value) * 0x9E37_79B9_7F4A_7C15L;
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
