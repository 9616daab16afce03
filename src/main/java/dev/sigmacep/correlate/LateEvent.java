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

/** An event that arrived after the watermark passed its time, so a correlation could not use it. */
@TypeInfo(LateEvent.Type.class)
public record LateEvent(String correlationId, String reason, long eventMicros, String raw) {

    /** Version 1: correlation id, reason, event time, record. */
    public static final class Serializer extends ImmutableSerializer<LateEvent> {
        public static final Serializer INSTANCE = new Serializer();

        private Serializer() {
            super(1);
        }

        @Override
        protected void write(LateEvent late, DataOutputView out) throws IOException {
            Utf8.write(out, late.correlationId);
            Utf8.write(out, late.reason);
            out.writeLong(late.eventMicros);
            Utf8.write(out, late.raw);
        }

        @Override
        protected LateEvent read(int version, DataInputView in) throws IOException {
            return new LateEvent(Utf8.read(in), Utf8.read(in), in.readLong(), Utf8.read(in));
        }
    }

    public static final class Type extends TypeInfoFactory<LateEvent> {
        @Override
        public TypeInformation<LateEvent> createTypeInfo(java.lang.reflect.Type t, Map<String, TypeInformation<?>> generics) {
            return new SerializerTypeInfo<>(LateEvent.class, Serializer.INSTANCE);
        }
    }
}
