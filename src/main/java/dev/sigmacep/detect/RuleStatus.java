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
 * What became of a rule in an update: {@code added}, {@code replaced} or {@code removed} (with the version now
 * running), or {@code rejected} with the reason (the version before keeps running).
 *
 * @param rule the rule's id, else its name; null when the update could not be read at all
 */
@TypeInfo(RuleStatus.Type.class)
public record RuleStatus(String origin, String rule, String outcome, int version, String reason) {

    public boolean rejected() {
        return "rejected".equals(outcome);
    }

    /** Version 1: origin, rule, outcome, version, reason. */
    public static final class Serializer extends ImmutableSerializer<RuleStatus> {
        public static final Serializer INSTANCE = new Serializer();

        private Serializer() {
            super(1);
        }

        @Override
        protected void write(RuleStatus status, DataOutputView out) throws IOException {
            Utf8.write(out, status.origin);
            Utf8.write(out, status.rule);
            Utf8.write(out, status.outcome);
            out.writeInt(status.version);
            Utf8.write(out, status.reason);
        }

        @Override
        protected RuleStatus read(int version, DataInputView in) throws IOException {
            return new RuleStatus(Utf8.read(in), Utf8.read(in), Utf8.read(in), in.readInt(), Utf8.read(in));
        }
    }

    public static final class Type extends TypeInfoFactory<RuleStatus> {
        @Override
        public TypeInformation<RuleStatus> createTypeInfo(java.lang.reflect.Type t, Map<String, TypeInformation<?>> generics) {
            return new SerializerTypeInfo<>(RuleStatus.class, Serializer.INSTANCE);
        }
    }
}
