package dev.sigmacep.event;

import dev.sigmacep.event.tree.TreeEventDecoder;

import java.util.Map;
import java.util.Objects;

/**
 * An {@link EventDecoder} that also decodes every record with the tree-based reference ({@link TreeEventDecoder})
 * and fails unless both give the same result: the same dead-letter reason, or an event with the same format, host,
 * time, raw text and fields (names, values and value types).
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
        if (difference != null) {
            String shown = raw == null || raw.length() <= 2_000 ? raw : raw.substring(0, 2_000) + "...";
            throw new AssertionError(difference + "\nrecord: " + shown);
        }
        compared++;
        return actual;
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
