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
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * An event on its way into one correlation's CEP operator: the group-by values (and the partition key made of
 * them), the roles it plays there (bit i set = it matched the correlation's i-th rule with these group-by values),
 * and of the event only what an alert needs: host, time, and the record as read, kept as UTF-8 bytes because CEP
 * buffers these in state and, in BATCH mode, sorts them.
 */
@TypeInfo(CorrelationEvent.Type.class)
public final class CorrelationEvent {
    private static final char KEY_SEPARATOR = '\u001f';

    private final String key;
    private final List<String> groupValues;
    private final int roles;
    private final String host;
    private final long timeMicros;
    private final byte[] raw;

    /** Shares the event's UTF-8 record (encoded once, whatever the number of correlations it enters). */
    public CorrelationEvent(List<String> groupValues, int roles, Event event) {
        this(List.copyOf(groupValues), roles, event.host(), event.timeMicros(), event.rawUtf8());
    }

    private CorrelationEvent(List<String> groupValues, int roles, String host, long timeMicros, byte[] raw) {
        this.key = key(groupValues);
        this.groupValues = groupValues;
        this.roles = roles;
        this.host = host;
        this.timeMicros = timeMicros;
        this.raw = raw;
    }

    /** The same event playing these roles as well. */
    public CorrelationEvent withRoles(int moreRoles) {
        return new CorrelationEvent(groupValues, roles | moreRoles, host, timeMicros, raw);
    }

    /** The partition key for group-by values: equal values, equal key; case matters as in the data. */
    public static String key(List<String> groupValues) {
        return String.join(String.valueOf(KEY_SEPARATOR), groupValues);
    }

    public String key() { return key; }

    public List<String> groupValues() { return groupValues; }

    public int roles() { return roles; }

    public boolean hasRole(int role) { return (roles & (1 << role)) != 0; }

    public String host() { return host; }

    /** Event time, microseconds since the epoch. */
    public long timeMicros() { return timeMicros; }

    /** The input record exactly as read. */
    public String raw() { return new String(raw, StandardCharsets.UTF_8); }

    /** The input record as UTF-8; shared, so do not change it. */
    public byte[] rawUtf8() { return raw; }

    /** Whether both carry the same input record. */
    boolean sameRecord(CorrelationEvent other) {
        return Arrays.equals(raw, other.raw);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CorrelationEvent c && roles == c.roles && timeMicros == c.timeMicros && key.equals(c.key)
                && Arrays.equals(raw, c.raw);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * key.hashCode() + roles) + Long.hashCode(timeMicros);
    }

    @Override
    public String toString() {
        return "CorrelationEvent{" + key + ", roles=" + Integer.toBinaryString(roles) + ", " + timeMicros + ", " + raw() + "}";
    }

    /** Version 1: group-by values, roles, host, time, record bytes. */
    public static final class Serializer extends ImmutableSerializer<CorrelationEvent> {
        public static final Serializer INSTANCE = new Serializer();

        private Serializer() {
            super(1);
        }

        @Override
        protected void write(CorrelationEvent value, DataOutputView out) throws IOException {
            Utf8.writeList(out, value.groupValues);
            out.writeInt(value.roles);
            Utf8.write(out, value.host);
            out.writeLong(value.timeMicros);
            Utf8.writeBytes(out, value.raw);
        }

        @Override
        protected CorrelationEvent read(int version, DataInputView in) throws IOException {
            return new CorrelationEvent(List.copyOf(Utf8.readList(in)), in.readInt(), Utf8.read(in), in.readLong(),
                    Utf8.readBytes(in));
        }
    }

    public static final class Type extends TypeInfoFactory<CorrelationEvent> {
        @Override
        public TypeInformation<CorrelationEvent> createTypeInfo(java.lang.reflect.Type t, Map<String, TypeInformation<?>> generics) {
            return new SerializerTypeInfo<>(CorrelationEvent.class, Serializer.INSTANCE);
        }
    }
}
