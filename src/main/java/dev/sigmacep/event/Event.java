package dev.sigmacep.event;

import dev.sigmacep.field.FieldSource;
import dev.sigmacep.field.InternedNames;
import org.apache.flink.api.common.typeinfo.TypeInfo;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * The canonical event: Sigma-taxonomy fields (Sysmon EventData names plus EventID, Channel, Provider_Name,
 * Computer), the host key, the event time, the input shape it came from, and the original record.
 */
@TypeInfo(EventSerializer.Type.class)
public final class Event implements FieldSource {
    /**
     * The fields as an {@link InternedNames} table: {@code names[i]} holds
     * {@code values[i]}; a null name is a free slot. Two small arrays instead of a HashMap's table and one node
     * per field: rule evaluation is bound by the memory an event touches, and this is about a third of it.
     */
    private final String[] names;
    private final Object[] values;
    private final int shift;
    private final String host;
    private final long timeMicros;
    private final String format;
    /**
     * The record as text and as UTF-8: alerts and shuffles send the bytes, dead letters and tests read the text.
     * An event read as bytes holds only those until its text is asked for; one made from text encodes it once.
     */
    private String raw;
    private byte[] rawUtf8;
    /** Where the record lies in an input file of {@link SourceFiles}, when it was read from one; else -1. */
    private int sourceFile = -1;
    private long sourceOffset;

    /** Null values are left out: to a rule, a field whose value is null is absent. */
    public Event(Map<String, Object> fields, String host, long timeMicros, String format, String raw) {
        int capacity = capacity(fields.size());
        this.names = new String[capacity];
        this.values = new Object[capacity];
        this.shift = InternedNames.shift(capacity);
        fields.forEach((name, value) -> {
            if (value != null) {
                values[InternedNames.add(names, shift, name)] = value;
            }
        });
        this.host = host;
        this.timeMicros = timeMicros;
        this.format = format;
        this.raw = raw;
    }

    /** A table the decoder has filled already: {@code names.length} is {@link #capacity} of the field count. */
    Event(String[] names, Object[] values, String host, long timeMicros, String format, String raw) {
        this.names = names;
        this.values = values;
        this.shift = InternedNames.shift(names.length);
        this.host = host;
        this.timeMicros = timeMicros;
        this.format = format;
        this.raw = raw;
    }

    /** Table size for {@code fields} fields: a power of two, load factor below 3/4. */
    static int capacity(int fields) {
        return Math.max(4, Integer.highestOneBit(fields * 4 / 3) * 2);
    }

    @Override
    public Object field(String name) {
        int slot = InternedNames.find(names, shift, name);
        return slot < 0 ? null : values[slot];
    }

    /** For keyword searches; the prefilter goes through {@link #forEachField} instead. */
    @Override
    public Iterable<?> values() {
        return ValueIterator::new;
    }

    @Override
    public void forEachField(BiConsumer<String, Object> action) {
        for (int i = 0; i < names.length; i++) {
            if (names[i] != null) {
                action.accept(names[i], values[i]);
            }
        }
    }

    /** The fields by name, as a new unmodifiable map (for tests and reports; rules use {@link #field}). */
    public Map<String, Object> fields() {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i < names.length; i++) {
            if (names[i] != null) {
                fields.put(names[i], values[i]);
            }
        }
        return Collections.unmodifiableMap(fields);
    }

    /** The host key ({@code Computer}). */
    public String host() { return host; }

    /** Event time, microseconds since the epoch (UTC). */
    public long timeMicros() { return timeMicros; }

    /** Event time in milliseconds, as Flink timestamps and watermarks use. */
    public long timeMillis() { return Math.floorDiv(timeMicros, 1000); }

    /** Input shape: {@code sysmon-flat}, {@code evtx-dump}, {@code winlogbeat}, {@code ecs}, {@code sentinel}. */
    public String format() { return format; }

    /** The input record exactly as read. */
    public String raw() {
        String text = raw;
        if (text == null && rawUtf8 != null) {
            text = new String(rawUtf8, StandardCharsets.UTF_8);
            raw = text; // a race only decodes twice
        }
        return text;
    }

    /** The original record as UTF-8 bytes; encoded once, shared (callers must not change it). */
    public byte[] rawUtf8() {
        byte[] utf8 = rawUtf8;
        if (utf8 == null && raw != null) {
            utf8 = raw.getBytes(StandardCharsets.UTF_8);
            rawUtf8 = utf8; // a race only encodes twice
        }
        return utf8;
    }

    /** An event made without its text (null): the record is these bytes. */
    void keepUtf8(byte[] utf8) {
        rawUtf8 = utf8;
    }

    /** The record is the bytes of file {@code file} of {@link SourceFiles} from {@code offset} on. */
    void keepSource(int file, long offset) {
        sourceFile = file;
        sourceOffset = offset;
    }

    /** The input file of {@link SourceFiles} whose bytes from {@link #sourceOffset()} on are {@link #rawUtf8()}, or -1. */
    public int sourceFile() { return sourceFile; }

    public long sourceOffset() { return sourceOffset; }

    @Override
    public boolean equals(Object o) {
        return o instanceof Event e && timeMicros == e.timeMicros && Objects.equals(raw(), e.raw());
    }

    @Override
    public int hashCode() {
        return Objects.hash(timeMicros, raw());
    }

    @Override
    public String toString() {
        return "Event{" + format + ", " + host + ", " + timeMicros + ", " + fields() + "}";
    }

    private final class ValueIterator implements Iterator<Object> {
        private int next = advance(0);

        private int advance(int from) {
            while (from < values.length && values[from] == null) {
                from++;
            }
            return from;
        }

        @Override
        public boolean hasNext() {
            return next < values.length;
        }

        @Override
        public Object next() {
            if (next >= values.length) {
                throw new NoSuchElementException();
            }
            Object value = values[next];
            next = advance(next + 1);
            return value;
        }
    }
}
