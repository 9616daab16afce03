package dev.sigmacep.event;

import dev.sigmacep.event.tree.TreeEventDecoder;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * An {@link EventDecoder} that also decodes every record with the tree-based reference ({@link TreeEventDecoder})
 * and fails unless both give the same result: the same dead-letter reason, or an event with the same format, host,
 * time, raw text and fields (names, values and value types). Each record is also decoded from its UTF-8 bytes (as
 * JSON Lines files are read), placed inside a larger array, and must give the same result again.
 */
final class SameAsTreeDecoder {
    private final EventDecoder streaming;
    private final TreeEventDecoder tree;
    private long compared;

    SameAsTreeDecoder(int maxRecordChars) {
        this.streaming = new EventDecoder(maxRecordChars);
        this.tree = new TreeEventDecoder(maxRecordChars);
    }

    SameAsTreeDecoder() {
        this(EventDecoder.DEFAULT_MAX_RECORD_CHARS);
    }

    /** The streaming decoder's result, after checking it against the reference's. */
    DecodeResult decode(String raw) {
        DecodeResult expected = tree.decode(raw);
        DecodeResult actual = streaming.decode(raw);
        String difference = difference(expected, actual);
        if (difference == null && raw != null) {
            difference = differenceFromBytes(raw, actual);
        }
        if (difference != null) {
            String shown = raw == null || raw.length() <= 2_000 ? raw : raw.substring(0, 2_000) + "...";
            throw new AssertionError(difference + "\nrecord: " + shown);
        }
        compared++;
        return actual;
    }

    /** The text's bytes at offset 5 of a larger array (unless the text has unpaired surrogates: not UTF-8). */
    private String differenceFromBytes(String raw, DecodeResult fromText) {
        if (raw.startsWith("\uFEFF")) return null; // Jackson's byte parser skips a byte order mark, as it should
        byte[] utf8 = raw.getBytes(StandardCharsets.UTF_8);
        if (!new String(utf8, StandardCharsets.UTF_8).equals(raw)) return null;
        byte[] padded = new byte[utf8.length + 9];
        Arrays.fill(padded, (byte) '}');
        System.arraycopy(utf8, 0, padded, 5, utf8.length);
        DecodeResult fromBytes = streaming.decodeUtf8(padded, 5, utf8.length);
        String difference = fromText.deadLetter() != null && fromBytes.deadLetter() != null
                && sameJacksonComplaint(fromText.deadLetter().reason(), fromBytes.deadLetter().reason())
                && fromText.deadLetter().raw().equals(fromBytes.deadLetter().raw())
                ? null : difference(fromText, fromBytes);
        if (difference == null && fromBytes.event() != null
                && !Arrays.equals(fromBytes.event().rawUtf8(), utf8)) {
            difference = "the event's UTF-8 bytes are not the record's";
        }
        return difference == null ? null : "decoded from UTF-8 bytes: " + difference;
    }

    /** Jackson's byte and character parsers word some complaints differently; the kind must be the same. */
    private static boolean sameJacksonComplaint(String fromText, String fromBytes) {
        // and a limit counts bytes, not chars, when the record is read as UTF-8
        for (String kind : new String[] {"not JSON: ", "exceeds parser limits: ", "record too large ("}) {
            if (fromText.startsWith(kind)) return fromBytes.startsWith(kind);
        }
        return fromText.equals(fromBytes);
    }

    long compared() {
        return compared;
    }

    /** Null when both results are the same, else what differs. */
    static String difference(DecodeResult expected, DecodeResult actual) {
        if ((expected.event() == null) != (actual.event() == null)) {
            return "tree gave " + describe(expected) + ", streaming gave " + describe(actual);
        }
        if (expected.deadLetter() != null) {
            DeadLetter e = expected.deadLetter();
            DeadLetter a = actual.deadLetter();
            if (!e.reason().equals(a.reason())) return "reason: tree '" + e.reason() + "', streaming '" + a.reason() + "'";
            if (!e.raw().equals(a.raw())) return "dead letter raw text differs";
            return null;
        }
        Event e = expected.event();
        Event a = actual.event();
        if (!e.format().equals(a.format())) return "format: tree " + e.format() + ", streaming " + a.format();
        if (!e.host().equals(a.host())) return "host: tree " + e.host() + ", streaming " + a.host();
        if (e.timeMicros() != a.timeMicros()) return "time: tree " + e.timeMicros() + ", streaming " + a.timeMicros();
        if (!e.raw().equals(a.raw())) return "raw text differs";
        Map<String, Object> ef = e.fields();
        Map<String, Object> af = a.fields();
        for (Map.Entry<String, Object> field : ef.entrySet()) {
            Object other = af.get(field.getKey());
            if (!Objects.equals(field.getValue(), other)) {
                return "field " + field.getKey() + ": tree " + typed(field.getValue()) + ", streaming " + typed(other);
            }
        }
        for (String name : af.keySet()) {
            if (!ef.containsKey(name)) return "field " + name + ": tree absent, streaming " + typed(af.get(name));
        }
        for (String name : ef.keySet()) { // the event's own lookup, not only its field list
            if (!Objects.equals(a.field(name), ef.get(name))) return "field " + name + " not found by Event.field";
        }
        return null;
    }

    private static String describe(DecodeResult result) {
        return result.event() != null ? "an event " + result.event() : "dead letter '" + result.deadLetter().reason() + "'";
    }

    private static String typed(Object value) {
        return value == null ? "absent" : value.getClass().getSimpleName() + " '" + value + "'";
    }
}
