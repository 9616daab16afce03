package dev.sigmacep.detect;

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
 * A rule file sent to the running job: Sigma detection rules (one or more YAML documents) that add or replace the
 * rules with the same id (else name), or remove them ({@code status: deprecated} or {@code unsupported}).
 *
 * @param origin where it came from (a file path, or topic:partition:offset), for statuses and errors
 */
@TypeInfo(RuleUpdate.Type.class)
public record RuleUpdate(String origin, String text) {

    /** Version 1: origin, text. */
    public static final class Serializer extends ImmutableSerializer<RuleUpdate> {
        public static final Serializer INSTANCE = new Serializer();

        private Serializer() {
            super(1);
        }

        @Override
        protected void write(RuleUpdate update, DataOutputView out) throws IOException {
            Utf8.write(out, update.origin);
            Utf8.write(out, update.text);
        }

        @Override
        protected RuleUpdate read(int version, DataInputView in) throws IOException {
            return new RuleUpdate(Utf8.read(in), Utf8.read(in));
        }
    }

    public static final class Type extends TypeInfoFactory<RuleUpdate> {
        @Override
        public TypeInformation<RuleUpdate> createTypeInfo(java.lang.reflect.Type t, Map<String, TypeInformation<?>> generics) {
            return new SerializerTypeInfo<>(RuleUpdate.class, Serializer.INSTANCE);
        }
    }
}
