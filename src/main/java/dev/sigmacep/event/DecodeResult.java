package dev.sigmacep.event;

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

/** Either a decoded event or a dead letter; exactly one is non-null. */
@TypeInfo(DecodeResult.Type.class)
public record DecodeResult(Event event, DeadLetter deadLetter) {
    public static DecodeResult ok(Event event) { return new DecodeResult(event, null); }
    public static DecodeResult dead(String reason, String raw) { return new DecodeResult(null, new DeadLetter(reason, raw)); }

    /** Version 1: a flag, then the event or the dead letter (reason, record). */
    public static final class Serializer extends ImmutableSerializer<DecodeResult> {
        public static final Serializer INSTANCE = new Serializer();

        private Serializer() {
            super(1);
        }

        @Override
        protected void write(DecodeResult result, DataOutputView out) throws IOException {
            out.writeBoolean(result.event != null);
            if (result.event != null) {
                EventSerializer.INSTANCE.serialize(result.event, out);
            } else {
                Utf8.write(out, result.deadLetter.reason());
                Utf8.write(out, result.deadLetter.raw());
            }
        }

        @Override
        protected DecodeResult read(int version, DataInputView in) throws IOException {
            return in.readBoolean() ? ok(EventSerializer.INSTANCE.deserialize(in))
                    : dead(Utf8.read(in), Utf8.read(in));
        }
    }

    public static final class Type extends TypeInfoFactory<DecodeResult> {
        @Override
        public TypeInformation<DecodeResult> createTypeInfo(java.lang.reflect.Type t, Map<String, TypeInformation<?>> generics) {
            return new SerializerTypeInfo<>(DecodeResult.class, Serializer.INSTANCE);
        }
    }
}
