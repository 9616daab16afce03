package dev.sigmacep.job;

import dev.sigmacep.alert.Alert;
import dev.sigmacep.alert.AlertJson;
import dev.sigmacep.alert.DeadLetterJson;
import dev.sigmacep.correlate.LateEvent;
import dev.sigmacep.event.DeadLetter;
import dev.sigmacep.serialize.ImmutableSerializer;
import dev.sigmacep.serialize.SerializerTypeInfo;
import dev.sigmacep.serialize.Utf8;
import dev.sigmacep.sigma.rule.RuleLabels;
import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One result of a replay job as the client collects it, already written as its JSON line (UTF-8): the job formats
 * in parallel, so the client only counts and writes bytes. {@code label} names an alert's rule for the summary (name, else
 * id, else title); a late event's correlation id; null for a dead letter.
 */
@TypeInfo(ReplayOutput.Type.class)
public record ReplayOutput(Kind kind, String label, byte[] json) {
    public enum Kind { ALERT, DEAD_LETTER, LATE }

    static ReplayOutput of(Alert alert) {
        return new ReplayOutput(Kind.ALERT, label(alert), AlertJson.toJson(alert));
    }

    static ReplayOutput of(DeadLetter deadLetter) {
        return new ReplayOutput(Kind.DEAD_LETTER, null,
                DeadLetterJson.toJson("dead-letter", deadLetter.reason(), null, deadLetter.raw()).getBytes(StandardCharsets.UTF_8));
    }

    static ReplayOutput of(LateEvent late) {
        return new ReplayOutput(Kind.LATE, late.correlationId(),
                DeadLetterJson.toJson(late.kind(), late.reason(), late.correlationId(), late.raw()).getBytes(StandardCharsets.UTF_8));
    }

    /** How the summary names a rule: its name, else its id, else its title (Sigma makes the first two optional). */
    static String label(Alert alert) {
        return RuleLabels.display(alert.ruleId(), alert.ruleName(), alert.ruleTitle());
    }

    /** Version 1: kind, label, JSON line. */
    public static final class Serializer extends ImmutableSerializer<ReplayOutput> {
        public static final Serializer INSTANCE = new Serializer();
        private static final Kind[] KINDS = Kind.values();

        private Serializer() {
            super(1);
        }

        @Override
        protected void write(ReplayOutput output, DataOutputView out) throws IOException {
            out.writeByte(output.kind.ordinal());
            Utf8.write(out, output.label);
            Utf8.writeBytes(out, output.json);
        }

        @Override
        protected ReplayOutput read(int version, DataInputView in) throws IOException {
            return new ReplayOutput(KINDS[in.readUnsignedByte()], Utf8.read(in), Utf8.readBytes(in));
        }
    }

    public static final class Type extends TypeInfoFactory<ReplayOutput> {
        @Override
        public TypeInformation<ReplayOutput> createTypeInfo(java.lang.reflect.Type t, Map<String, TypeInformation<?>> generics) {
            return new SerializerTypeInfo<>(ReplayOutput.class, Serializer.INSTANCE);
        }
    }
}
