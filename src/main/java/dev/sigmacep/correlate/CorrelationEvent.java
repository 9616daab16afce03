package dev.sigmacep.correlate;

import dev.sigmacep.event.Event;
import dev.sigmacep.serialize.ImmutableSerializer;
import dev.sigmacep.serialize.SerializerTypeInfo;
import dev.sigmacep.serialize.Utf8;
import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * An event on its way into one correlation's operator: the group-by values (and the partition key made of them),
 * the roles it plays there (bit i set = it matched the correlation's i-th rule with these group-by values), the
 * values of the condition's {@code field} for the value types, and of the event only what an alert needs: host,
 * time, and the records as read, kept as UTF-8 bytes because CEP buffers these in state and, in BATCH mode, sorts
 * them. A detection match carries its one record; the alert of a correlation that another one builds on carries its
 * evidence records. In a streaming sequence on RocksDB the input that enters Flink CEP's buffer carries, instead of its
 * records, where the operator keeps them ({@link #withRecordsApart}): the buffer reads and rewrites its events at every
 * step of a partial match, and the records are most of their bytes.
 */
@TypeInfo(CorrelationEvent.Type.class)
public final class CorrelationEvent {
    private static final char KEY_SEPARATOR = '\u001f';

    private final String key;
    private final List<String> groupValues;
    private final int roles;
    private final String host;
    private final long timeMicros;
    private final List<String> values;
    private final List<byte[]> records;
    private final long recordsTime; // with recordsIndex >= 0: the operator keeps the records apart
    private final int recordsIndex;

    /** Shares the event's UTF-8 record (encoded once, whatever the number of correlations it enters). */
    public CorrelationEvent(List<String> groupValues, int roles, Event event) {
        this(groupValues, roles, List.of(), event);
    }

    /** @param values the values of the condition's fields in this event (value types), else empty */
    public CorrelationEvent(List<String> groupValues, int roles, List<String> values, Event event) {
        this(List.copyOf(groupValues), roles, event.host(), event.timeMicros(), List.copyOf(values),
                List.of(event.rawUtf8()));
    }

    /** An input made of several records (a correlation's alert entering the correlation built on it). */
    public CorrelationEvent(List<String> groupValues, int roles, String host, long timeMicros, List<String> values,
                            List<byte[]> records) {
        this(key(groupValues), groupValues, roles, host, timeMicros, values, records, 0, -1);
    }

    /** @param key {@link #key(List)} of the group-by values: the same event's copies keep it */
    private CorrelationEvent(String key, List<String> groupValues, int roles, String host, long timeMicros,
                             List<String> values, List<byte[]> records, long recordsTime, int recordsIndex) {
        this.key = key;
        this.groupValues = List.copyOf(groupValues);
        this.roles = roles;
        this.host = host;
        this.timeMicros = timeMicros;
        this.values = List.copyOf(values);
        this.records = List.copyOf(records);
        this.recordsTime = recordsTime;
        this.recordsIndex = recordsIndex;
    }

    /** The same event playing these roles as well. */
    public CorrelationEvent withRoles(int moreRoles) {
        return new CorrelationEvent(key, groupValues, roles | moreRoles, host, timeMicros, values, records,
                recordsTime, recordsIndex);
    }

    /**
     * The same event without its records, which its operator keeps under a timestamp (of its group's state), at an
     * index there.
     */
    CorrelationEvent withRecordsApart(long time, int index) {
        if (index < 0) {
            throw new IllegalArgumentException("index " + index);
        }
        return new CorrelationEvent(key, groupValues, roles, host, timeMicros, values, List.of(), time, index);
    }

    /** True if the records are kept apart: {@link #records()} is empty, the operator has them. */
    boolean recordsApart() { return recordsIndex >= 0; }

    /** Where the records are kept apart: the timestamp ... */
    long recordsTime() { return recordsTime; }

    /** ... and the index among the inputs of that timestamp. */
    int recordsIndex() { return recordsIndex; }

    /** The same event with its records back. */
    CorrelationEvent withRecords(List<byte[]> records) {
        return new CorrelationEvent(key, groupValues, roles, host, timeMicros, values, records, 0, -1);
    }

    /** The partition key for group-by values: equal values, equal key; case matters as in the data. */
    public static String key(List<String> groupValues) {
        if (groupValues.size() == 1) { // most correlations group by one field: its value is the key
            return String.valueOf(groupValues.get(0));
        }
        StringBuilder key = new StringBuilder();
        for (int i = 0; i < groupValues.size(); i++) {
            if (i > 0) {
                key.append(KEY_SEPARATOR);
            }
            key.append(groupValues.get(i));
        }
        return key.toString();
    }

    public String key() { return key; }

    public List<String> groupValues() { return groupValues; }

    public int roles() { return roles; }

    public boolean hasRole(int role) { return (roles & (1 << role)) != 0; }

    public String host() { return host; }

    /** Event time, microseconds since the epoch. */
    public long timeMicros() { return timeMicros; }

    /** The values of the condition's {@code field}s, in their order (value types); empty otherwise. */
    public List<String> values() { return values; }

    /** The input records exactly as read, one per line. */
    public String raw() {
        StringBuilder text = new StringBuilder();
        for (byte[] record : records) {
            if (!text.isEmpty()) {
                text.append('\n');
            }
            text.append(new String(record, StandardCharsets.UTF_8));
        }
        return text.toString();
    }

    /** The input records as UTF-8; shared, so do not change them. */
    public List<byte[]> records() { return records; }

    /** Orders inputs by their records' bytes (the last tie-breaker of {@link CorrelationEventOrder}). */
    static int compareRecords(CorrelationEvent a, CorrelationEvent b) {
        for (int i = 0; i < Math.min(a.records.size(), b.records.size()); i++) {
            int byRecord = Arrays.compareUnsigned(a.records.get(i), b.records.get(i));
            if (byRecord != 0) {
                return byRecord;
            }
        }
        return Integer.compare(a.records.size(), b.records.size());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CorrelationEvent c && roles == c.roles && timeMicros == c.timeMicros && key.equals(c.key)
                && values.equals(c.values) && compareRecords(this, c) == 0 && recordsIndex == c.recordsIndex
                && recordsTime == c.recordsTime;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * key.hashCode() + roles) + Long.hashCode(timeMicros);
    }

    @Override
    public String toString() {
        return "CorrelationEvent{" + key + ", roles=" + Integer.toBinaryString(roles) + ", " + timeMicros
                + (values.isEmpty() ? "" : ", values=" + values)
                + (recordsApart() ? ", records at " + recordsTime + "#" + recordsIndex : ", " + raw()) + "}";
    }

    /**
     * Version 3: group-by values, roles, host, time, field values, then the number of records and the records, or -1
     * and where they are kept apart (time, index). Version 2 always had the records; version 1 (before field values
     * and several records) had group-by values, roles, host, time and one record.
     */
    public static final class Serializer extends ImmutableSerializer<CorrelationEvent> {
        public static final Serializer INSTANCE = new Serializer();

        private Serializer() {
            super(3);
        }

        @Override
        protected void write(CorrelationEvent value, DataOutputView out) throws IOException {
            Utf8.writeList(out, value.groupValues);
            out.writeInt(value.roles);
            Utf8.write(out, value.host);
            out.writeLong(value.timeMicros);
            Utf8.writeList(out, value.values);
            if (value.recordsApart()) {
                out.writeInt(-1);
                out.writeLong(value.recordsTime);
                out.writeInt(value.recordsIndex);
                return;
            }
            out.writeInt(value.records.size());
            for (byte[] record : value.records) {
                Utf8.writeBytes(out, record);
            }
        }

        @Override
        protected CorrelationEvent read(int version, DataInputView in) throws IOException {
            List<String> groupValues = Utf8.readList(in);
            int roles = in.readInt();
            String host = Utf8.read(in);
            long timeMicros = in.readLong();
            if (version == 1) {
                return new CorrelationEvent(groupValues, roles, host, timeMicros, List.of(), List.of(Utf8.readBytes(in)));
            }
            List<String> values = Utf8.readList(in);
            int count = in.readInt();
            if (count == -1 && version >= 3) {
                long recordsTime = in.readLong();
                int recordsIndex = in.readInt();
                return new CorrelationEvent(key(groupValues), groupValues, roles, host, timeMicros, values, List.of(),
                        recordsTime, recordsIndex);
            }
            List<byte[]> records = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                records.add(Utf8.readBytes(in));
            }
            return new CorrelationEvent(groupValues, roles, host, timeMicros, values, records);
        }
    }

    public static final class Type extends TypeInfoFactory<CorrelationEvent> {
        @Override
        public TypeInformation<CorrelationEvent> createTypeInfo(java.lang.reflect.Type t, Map<String, TypeInformation<?>> generics) {
            return new SerializerTypeInfo<>(CorrelationEvent.class, Serializer.INSTANCE);
        }
    }
}
