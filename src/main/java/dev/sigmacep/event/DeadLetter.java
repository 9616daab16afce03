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

/** An input record the job could not use, with the reason; written to the dead-letter output, never dropped. */
@TypeInfo(DeadLetter.Type.class)
public record DeadLetter(String reason, String raw) {
    /** How the reason of a record that met a bug (not bad input) starts: counted apart, logged with its stack trace. */
    public static final String INTERNAL_ERROR = "internal error: ";

    /** Whether the record met a bug of the job rather than being bad input. */
    public boolean internal() {
        return reason.startsWith(INTERNAL_ERROR);
    }

    /** Version 1: reason, record. */
    public static final class Serializer extends ImmutableSerializer<DeadLetter> {
        public static final Serializer INSTANCE = new Serializer();

        private Serializer() {
            super(1);
        }

        @Override
        protected void write(DeadLetter deadLetter, DataOutputView out) throws IOException {
            Utf8.write(out, deadLetter.reason);
            Utf8.write(out, deadLetter.raw);
        }

        @Override
        protected DeadLetter read(int version, DataInputView in) throws IOException {
            return new DeadLetter(Utf8.read(in), Utf8.read(in));
        }
    }

    public static final class Type extends TypeInfoFactory<DeadLetter> {
        @Override
        public TypeInformation<DeadLetter> createTypeInfo(java.lang.reflect.Type t, Map<String, TypeInformation<?>> generics) {
            return new SerializerTypeInfo<>(DeadLetter.class, Serializer.INSTANCE);
        }
    }
}
