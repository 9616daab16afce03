package dev.sigmacep.correlate;

import dev.sigmacep.serialize.ImmutableSerializer;
import dev.sigmacep.serialize.SerializerTypeInfo;
import dev.sigmacep.serialize.Utf8;
import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;
import java.util.Map;

/**
 * An input a correlation could not use, with the reason: it arrived after the watermark passed its time
 * ({@link #LATE}), or its group or the correlation's subtask was at its state cap ({@link #OVER_CAP}, see
 * {@link StateCap}).
 *
 * @param kind {@link #LATE} or {@link #OVER_CAP}, the record's {@code kind} in JSON
 */
@TypeInfo(LateEvent.Type.class)
public record LateEvent(String kind, String correlationId, String reason, long eventMicros, String raw) {
    public static final String LATE = "late";
    public static final String OVER_CAP = "over-cap";

    /** A late input. */
    public LateEvent(String correlationId, String reason, long eventMicros, String raw) {
        this(LATE, correlationId, reason, eventMicros, raw);
    }

    /** Version 2: kind, correlation id, reason, event time, record. Version 1 had no kind: every one was late. */
    public static final class Serializer extends ImmutableSerializer<LateEvent> {
        public static final Serializer INSTANCE = new Serializer();

        private Serializer() {
            super(2);
        }

        @Override
        protected void write(LateEvent late, DataOutputView out) throws IOException {
            Utf8.write(out, late.kind);
            Utf8.write(out, late.correlationId);
            Utf8.write(out, late.reason);
            out.writeLong(late.eventMicros);
            Utf8.write(out, late.raw);
        }

        @Override
        protected LateEvent read(int version, DataInputView in) throws IOException {
            String kind = version == 1 ? LATE : Utf8.read(in);
            return new LateEvent(kind, Utf8.read(in), Utf8.read(in), in.readLong(), Utf8.read(in));
        }
    }

    public static final class Type extends TypeInfoFactory<LateEvent> {
        @Override
        public TypeInformation<LateEvent> createTypeInfo(java.lang.reflect.Type t, Map<String, TypeInformation<?>> generics) {
            return new SerializerTypeInfo<>(LateEvent.class, Serializer.INSTANCE);
        }
    }
}
