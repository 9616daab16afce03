package dev.sigmacep.job;

import dev.sigmacep.alert.Alert;
import dev.sigmacep.detect.RuleStatus;
import dev.sigmacep.alert.AlertJson;
import dev.sigmacep.alert.DeadLetterJson;
import dev.sigmacep.correlate.LateEvent;
import dev.sigmacep.event.DeadLetter;
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
import java.util.Map;

/**
 * One record for an output topic of the streaming job: its Kafka key and its value (a JSON line), both UTF-8. An
 * alert is keyed by its host (DESIGN.md), so a host's alerts stay in order in one partition; dead letters and late
 * events have no key. There is no timestamp: {@link KafkaOutputSchema} leaves it to the producer.
 */
@TypeInfo(KafkaOutput.Type.class)
public record KafkaOutput(byte[] key, byte[] value) {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    static KafkaOutput of(Alert alert) {
        return new KafkaOutput(alert.host() == null ? null : alert.host().getBytes(StandardCharsets.UTF_8),
                AlertJson.toJson(alert));
    }

    static KafkaOutput of(DeadLetter deadLetter) {
        return unkeyed(DeadLetterJson.toJson("dead-letter", deadLetter.reason(), null, deadLetter.raw()));
    }

    static KafkaOutput of(LateEvent late) {
        return unkeyed(DeadLetterJson.toJson(late.kind(), late.reason(), late.correlationId(), late.raw()));
    }

    /** {@code {"kind":"rule-status","origin":...,"rule":...,"outcome":...,"version":N,"reason":...}}, keyed by rule. */
    static KafkaOutput of(RuleStatus status) {
        com.fasterxml.jackson.databind.node.ObjectNode node = JSON.createObjectNode();
        node.put("kind", "rule-status").put("origin", status.origin()).put("rule", status.rule())
                .put("outcome", status.outcome());
        if (!status.rejected()) {
            node.put("version", status.version());
        } else {
            node.put("reason", status.reason());
        }
        return new KafkaOutput(status.rule() == null ? null : status.rule().getBytes(StandardCharsets.UTF_8),
                node.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static KafkaOutput unkeyed(String json) {
        return new KafkaOutput(null, json.getBytes(StandardCharsets.UTF_8));
    }

    /** Version 1: key (may be null), value. */
    public static final class Serializer extends ImmutableSerializer<KafkaOutput> {
        public static final Serializer INSTANCE = new Serializer();

        private Serializer() {
            super(1);
        }

        @Override
        protected void write(KafkaOutput output, DataOutputView out) throws IOException {
            Utf8.writeBytes(out, output.key);
            Utf8.writeBytes(out, output.value);
        }

        @Override
        protected KafkaOutput read(int version, DataInputView in) throws IOException {
            return new KafkaOutput(Utf8.readBytes(in), Utf8.readBytes(in));
        }
    }

    public static final class Type extends TypeInfoFactory<KafkaOutput> {
        @Override
        public TypeInformation<KafkaOutput> createTypeInfo(java.lang.reflect.Type t, Map<String, TypeInformation<?>> generics) {
            return new SerializerTypeInfo<>(KafkaOutput.class, Serializer.INSTANCE);
        }
    }
}
