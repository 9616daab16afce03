package dev.sigmacep.serialize;

import dev.sigmacep.alert.Alert;
import dev.sigmacep.correlate.AggregateWindow;
import dev.sigmacep.correlate.CorrelationEvent;
import dev.sigmacep.correlate.RecordReference;
import dev.sigmacep.correlate.SharedInput;
import dev.sigmacep.correlate.LateEvent;
import dev.sigmacep.event.DeadLetter;
import dev.sigmacep.event.DecodeResult;
import dev.sigmacep.event.Event;
import dev.sigmacep.event.EventDecoder;
import dev.sigmacep.event.EventSerializer;
import dev.sigmacep.event.JsonLines;
import dev.sigmacep.job.InputFiles;
import dev.sigmacep.job.KafkaOutput;
import dev.sigmacep.job.TelemetryStreams;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.sigmacep.testing.FlatSysmon.T0;
import static dev.sigmacep.testing.FlatSysmon.processStart;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every type the job puts on the wire or in state has a serializer of its own, and it round-trips. */
class SerializersTest {
    private static final String WERMGR = "C:\\Windows\\System32\\wermgr.exe";

    @Test
    void typesResolveToOurSerializersNotKryo() {
        for (Class<?> type : List.of(Alert.class, CorrelationEvent.class, LateEvent.class, DeadLetter.class,
                DecodeResult.class, Event.class, KafkaOutput.class, SharedInput.class)) {
            TypeInformation<?> info = TypeInformation.of(type);
            assertThat(info).as(type.getSimpleName()).isInstanceOf(SerializerTypeInfo.class);
            assertThat(info.createSerializer(new SerializerConfigImpl())).isInstanceOf(ImmutableSerializer.class);
        }
        TypeInformation<?> window = TypeInformation.of(AggregateWindow.class);
        assertThat(window.createSerializer(new SerializerConfigImpl())).isInstanceOf(MutableSerializer.class);
    }

    @Test
    void decodedSampleEventsRoundTripWithEveryField() throws IOException {
        List<Event> events = new ArrayList<>();
        for (Path file : InputFiles.expand(List.of(Path.of("samples/wer-chain")))) {
            TelemetryStreams.decode(file, EventDecoder.DEFAULT_MAX_RECORD_CHARS, result -> {
                if (result.event() != null) events.add(result.event());
            });
        }
        assertThat(events).hasSize(99);
        for (Event event : events) {
            Event copy = roundTrip(EventSerializer.INSTANCE, event);
            assertThat(copy.fields()).isEqualTo(event.fields());
            assertThat(copy.host()).isEqualTo(event.host());
            assertThat(copy.format()).isEqualTo(event.format());
            assertThat(copy).isEqualTo(event);
            // names are interned again, so lookups by a rule's interned name still hit by identity
            assertThat(copy.field("Image")).isEqualTo(event.field("Image"));
        }
    }

    @Test
    void decodeResultsAndDeadLettersRoundTrip() throws IOException {
        EventDecoder decoder = new EventDecoder();
        DecodeResult ok = decoder.decode(processStart("H1", T0, "{g}", WERMGR, WERMGR, "{p}", "C:\\loader.exe"));
        DecodeResult dead = decoder.decode("{\"not\": \"an event\"");
        assertThat(roundTrip(DecodeResult.Serializer.INSTANCE, ok).event()).isEqualTo(ok.event());
        assertThat(roundTrip(DecodeResult.Serializer.INSTANCE, dead)).isEqualTo(dead);
        DeadLetter letter = new DeadLetter("not JSON: x", "caf\u00e9 \uD83D\uDE00 \u0000");
        assertThat(roundTrip(DeadLetter.Serializer.INSTANCE, letter)).isEqualTo(letter);
    }

    @Test
    void correlationEventsRoundTripWithTheirKey() throws IOException {
        Event event = new EventDecoder().decode(processStart("H1", T0, "{g}", WERMGR, WERMGR, "{p}", "C:\\\u00ae.exe")).event();
        CorrelationEvent input = new CorrelationEvent(List.of("H1", "{g}"), 0b101, event);
        CorrelationEvent copy = roundTrip(CorrelationEvent.Serializer.INSTANCE, input);
        assertThat(copy).isEqualTo(input);
        assertThat(copy.key()).isEqualTo(input.key());
        assertThat(copy.groupValues()).containsExactly("H1", "{g}");
        assertThat(copy.raw()).isEqualTo(event.raw());
        assertThat(copy.host()).isEqualTo("H1");
    }

    @Test
    void correlationEventsWithValuesAndSeveralRecordsRoundTrip() throws IOException {
        CorrelationEvent chained = new CorrelationEvent(List.of("alice"), 0b10, "DC01", 7, List.of("42", "x"),
                List.of("{\"a\":1}".getBytes(StandardCharsets.UTF_8), "{\"b\":2}".getBytes(StandardCharsets.UTF_8)));
        CorrelationEvent copy = roundTrip(CorrelationEvent.Serializer.INSTANCE, chained);
        assertThat(copy).isEqualTo(chained);
        assertThat(copy.values()).containsExactly("42", "x");
        assertThat(copy.raw()).isEqualTo("{\"a\":1}\n{\"b\":2}");
    }

    @Test
    void sharedInputsRoundTripWithEachMembersOwnValuesAndOneRecord() throws IOException {
        Event event = new EventDecoder().decode(processStart("H1", T0, "{g}", WERMGR, WERMGR, "{p}", "C:\\\u00ae.exe")).event();
        SharedInput shared = new SharedInput(new int[]{2, 0}, List.of(
                new CorrelationEvent(List.of("H1", "{g}"), 0b1, event),
                new CorrelationEvent(List.of("H1"), 0b10, List.of("{g}"), event)));
        SharedInput copy = roundTrip(SharedInput.Serializer.INSTANCE, shared);
        assertThat(copy.members()).containsExactly(2, 0);
        assertThat(copy.inputs()).containsExactlyElementsOf(shared.inputs());
        assertThat(copy.partition()).isEqualTo("H1");
        assertThat(copy.inputs().get(1).values()).containsExactly("{g}");
        assertThat(copy.inputs().get(0).records().get(0)).isSameAs(copy.inputs().get(1).records().get(0));
        DataOutputSerializer once = new DataOutputSerializer(256);
        SharedInput.Serializer.INSTANCE.serialize(shared, once);
        assertThat(once.length()).as("the record is written once").isLessThan(event.raw().length() * 2);

        Event another = new EventDecoder().decode(processStart("H1", T0, "{g}", WERMGR, WERMGR, "{p}", "C:\\x.exe")).event();
        assertThatThrownBy(() -> new SharedInput(new int[]{0, 1}, List.of(new CorrelationEvent(List.of("H1"), 1, event),
                new CorrelationEvent(List.of("H1"), 1, another))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("come from one event");
        assertThatThrownBy(() -> new SharedInput(new int[]{0, 1}, List.of(new CorrelationEvent(List.of("H1"), 1, event),
                new CorrelationEvent(List.of("H2"), 1, event))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the inputs of one shared input have one partition value: H1 and H2");
    }

    @Test
    void aSharedInputWithAReferenceCrossesWithoutItsRecord() throws IOException {
        Event event = new EventDecoder().decode(processStart("H1", T0, "{g}", WERMGR, WERMGR, "{p}", "C:\\x.exe")).event();
        RecordReference reference = new RecordReference(3, 1L << 33, event.rawUtf8().length, 0xC0FFEE);
        SharedInput shared = new SharedInput(new int[]{1, 0}, List.of(
                new CorrelationEvent(List.of("H1", "{g}"), 0b1, event),
                new CorrelationEvent(List.of("H1"), 0b10, List.of("{g}"), event)), reference);
        assertThat(shared.recordUnread()).isFalse();
        DataOutputSerializer out = new DataOutputSerializer(256);
        SharedInput.Serializer.INSTANCE.serialize(shared, out);
        assertThat(out.length()).as("no record in it").isLessThan(event.rawUtf8().length);

        SharedInput copy = roundTrip(SharedInput.Serializer.INSTANCE, shared);
        assertThat(copy.reference()).isEqualTo(reference);
        assertThat(copy.recordUnread()).isTrue();
        assertThat(copy.members()).containsExactly(1, 0);
        assertThat(copy.partition()).isEqualTo("H1");
        assertThat(copy.inputs()).extracting(CorrelationEvent::key).containsExactly("H1\u001f{g}", "H1");
        assertThat(copy.inputs()).extracting(CorrelationEvent::roles).containsExactly(0b1, 0b10);
        assertThat(copy.inputs().get(1).values()).containsExactly("{g}");
        assertThat(copy.inputs()).allSatisfy(input -> assertThat(input.records()).isEmpty());
        // and unread it crosses again as the same reference (BATCH's sort writes what the exchange read)
        assertThat(roundTrip(SharedInput.Serializer.INSTANCE, copy).reference()).isEqualTo(reference);
        // BATCH's spill copies the bytes as they are, with a reference or the record
        assertThat(copied(SharedInput.Serializer.INSTANCE, out.getCopyOfBuffer())).isEqualTo(out.getCopyOfBuffer());
        DataOutputSerializer inline = new DataOutputSerializer(256);
        SharedInput.Serializer.INSTANCE.serialize(new SharedInput(shared.members(), shared.inputs()), inline);
        assertThat(copied(SharedInput.Serializer.INSTANCE, inline.getCopyOfBuffer())).isEqualTo(inline.getCopyOfBuffer());
    }

    /** What {@code TypeSerializer.copy(DataInputView, DataOutputView)} makes of these bytes. */
    private static byte[] copied(TypeSerializer<?> serializer, byte[] bytes) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(bytes.length);
        serializer.copy(new DataInputDeserializer(bytes), out);
        return out.getCopyOfBuffer();
    }

    @Test
    void anEventKeepsItsRecordsPositionAcrossAnExchange() throws IOException {
        byte[] text = (processStart("H1", T0, "{g}", WERMGR, WERMGR, "{p}", "C:\\x.exe") + "\n"
                + processStart("H2", T0, "{g}", WERMGR, WERMGR, "{p}", "C:\\y.exe") + "\n").getBytes(StandardCharsets.UTF_8);
        JsonLines lines = new JsonLines(new ByteArrayInputStream(text), 0, 0, text.length, 1 << 20);
        lines.next();
        lines.next();
        Event second = new EventDecoder().decodeLine(lines, 7).event();
        Event copy = roundTrip(EventSerializer.INSTANCE, second);
        assertThat(copy.sourceFile()).isEqualTo(7);
        assertThat(copy.sourceOffset()).isEqualTo(lines.lineStart()).isPositive();
        assertThat(copy.rawUtf8()).isEqualTo(second.rawUtf8());
        Event unplaced = roundTrip(EventSerializer.INSTANCE, new EventDecoder().decodeLine(lines).event());
        assertThat(unplaced.sourceFile()).isEqualTo(-1);

        // version 1 wrote no position: host, time, format, record, then the fields
        DataOutputSerializer v1 = new DataOutputSerializer(64);
        v1.writeByte(1);
        Utf8.write(v1, "H1");
        v1.writeLong(5);
        Utf8.write(v1, "sysmon-flat");
        Utf8.writeBytes(v1, "{}".getBytes(StandardCharsets.UTF_8));
        v1.writeInt(1);
        Utf8.write(v1, "EventID");
        v1.writeByte('I');
        v1.writeInt(1);
        Event old = EventSerializer.INSTANCE.deserialize(new DataInputDeserializer(v1.getCopyOfBuffer()));
        assertThat(old.sourceFile()).isEqualTo(-1);
        assertThat(old.field("EventID")).isEqualTo(1);
        assertThat(old.raw()).isEqualTo("{}");
    }

    @Test
    void version1SharedInputsStillRead() throws IOException {
        // the bytes version 1 wrote: host, time, the records, then per input its member, group-by values, roles, values
        DataOutputSerializer v1 = new DataOutputSerializer(64);
        v1.writeByte(1);
        Utf8.write(v1, "H1");
        v1.writeLong(5);
        v1.writeInt(1);
        Utf8.writeBytes(v1, "{}".getBytes(StandardCharsets.UTF_8));
        v1.writeInt(1);
        v1.writeInt(2);
        Utf8.writeList(v1, List.of("H1"));
        v1.writeInt(1);
        Utf8.writeList(v1, List.of());
        SharedInput shared = SharedInput.Serializer.INSTANCE.deserialize(new DataInputDeserializer(v1.getCopyOfBuffer()));
        assertThat(shared.reference()).isNull();
        DataOutputSerializer current = new DataOutputSerializer(64);
        SharedInput.Serializer.INSTANCE.serialize(shared, current);
        assertThat(copied(SharedInput.Serializer.INSTANCE, v1.getCopyOfBuffer()))
                .as("an earlier format is copied in the current one").isEqualTo(current.getCopyOfBuffer());
        assertThat(shared.members()).containsExactly(2);
        assertThat(shared.inputs()).containsExactly(new CorrelationEvent(List.of("H1"), 1, "H1", 5, List.of(),
                List.of("{}".getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void version1CorrelationEventsAndAlertsOfEarlierSavepointsStillRead() throws IOException {
        // the bytes version 1 wrote: group-by values, roles, host, time, one record
        DataOutputSerializer v1 = new DataOutputSerializer(64);
        v1.writeByte(1);
        Utf8.writeList(v1, List.of("H1"));
        v1.writeInt(1);
        Utf8.write(v1, "H1");
        v1.writeLong(5);
        Utf8.writeBytes(v1, "{}".getBytes(StandardCharsets.UTF_8));
        CorrelationEvent event = CorrelationEvent.Serializer.INSTANCE.deserialize(new DataInputDeserializer(v1.getCopyOfBuffer()));
        assertThat(event).isEqualTo(new CorrelationEvent(List.of("H1"), 1, "H1", 5, List.of(),
                List.of("{}".getBytes(StandardCharsets.UTF_8))));

        DataOutputSerializer alertV1 = new DataOutputSerializer(64);
        alertV1.writeByte(1);
        for (String text : new String[]{"id", null, "title", "high"}) Utf8.write(alertV1, text);
        Utf8.writeList(alertV1, List.of("t"));
        Utf8.write(alertV1, "H1");
        alertV1.writeInt(0);
        alertV1.writeLong(1);
        alertV1.writeLong(2);
        alertV1.writeInt(1);
        Utf8.writeBytes(alertV1, "{}".getBytes(StandardCharsets.UTF_8));
        Alert alert = Alert.Serializer.INSTANCE.deserialize(new DataInputDeserializer(alertV1.getCopyOfBuffer()));
        assertThat(alert).isEqualTo(new Alert("id", null, "title", "high", List.of("t"), "H1", Map.of(), 1, 2,
                List.of("{}".getBytes(StandardCharsets.UTF_8))));
        assertThat(alert.correlationType()).isNull();
    }

    @Test
    void alertsRoundTripWithGroupByOrderAndNullNames() throws IOException {
        Map<String, String> groupBy = new LinkedHashMap<>();
        groupBy.put("Computer", "H1");
        groupBy.put("wer_process", "{g}");
        Alert alert = new Alert("id-1", null, "A title \u00ae", "high", List.of("attack.t1036"), "H1", groupBy, 5, 9,
                List.of("{\"a\":1}".getBytes(StandardCharsets.UTF_8), "{\"b\":\"\u00e9\"}".getBytes(StandardCharsets.UTF_8)));
        Alert copy = roundTrip(Alert.Serializer.INSTANCE, alert);
        assertThat(copy).isEqualTo(alert);
        assertThat(copy.groupBy().keySet()).containsExactly("Computer", "wer_process");
        assertThat(copy.ruleName()).isNull();
        assertThat(copy.events()).containsExactly("{\"a\":1}", "{\"b\":\"\u00e9\"}");
    }

    @Test
    void lateEventsRoundTrip() throws IOException {
        LateEvent late = new LateEvent(null, "late: behind the watermark", -5, "{}");
        assertThat(roundTrip(LateEvent.Serializer.INSTANCE, late)).isEqualTo(late);
        assertThat(late.kind()).isEqualTo("late");
        LateEvent overCap = new LateEvent(LateEvent.OVER_CAP, "corr-id", "over cap: ...", 7, "{\"a\":1}");
        assertThat(roundTrip(LateEvent.Serializer.INSTANCE, overCap)).isEqualTo(overCap);
    }

    @Test
    void kafkaOutputsRoundTripWithAndWithoutAKey() throws IOException {
        byte[] json = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        for (KafkaOutput output : List.of(new KafkaOutput("WKS-01".getBytes(StandardCharsets.UTF_8), json),
                new KafkaOutput(null, json))) {
            KafkaOutput copy = roundTrip(KafkaOutput.Serializer.INSTANCE, output);
            assertThat(copy.key()).isEqualTo(output.key());
            assertThat(copy.value()).isEqualTo(output.value());
        }
    }

    @Test
    void aFormatVersionFromALaterReleaseIsRefusedWithAReason() throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        DeadLetter.Serializer.INSTANCE.serialize(new DeadLetter("r", "x"), out);
        byte[] bytes = out.getCopyOfBuffer();
        bytes[0] = 9;
        assertThatThrownBy(() -> DeadLetter.Serializer.INSTANCE.deserialize(new DataInputDeserializer(bytes)))
                .isInstanceOf(IOException.class).hasMessageContaining("format version 9 is newer");
    }

    @Test
    void snapshotsWrittenAndReadBackRestoreTheSameSerializer() throws IOException {
        for (TypeSerializer<?> serializer : List.of(Alert.Serializer.INSTANCE, CorrelationEvent.Serializer.INSTANCE,
                AggregateWindow.Serializer.INSTANCE,
                LateEvent.Serializer.INSTANCE, DeadLetter.Serializer.INSTANCE, DecodeResult.Serializer.INSTANCE,
                EventSerializer.INSTANCE, KafkaOutput.Serializer.INSTANCE, SharedInput.Serializer.INSTANCE)) {
            assertRestores(serializer);
        }
    }

    private static <T> void assertRestores(TypeSerializer<T> serializer) throws IOException {
        TypeSerializerSnapshot<T> snapshot = serializer.snapshotConfiguration();
        DataOutputSerializer out = new DataOutputSerializer(64);
        snapshot.writeSnapshot(out);
        TypeSerializerSnapshot<T> read = new ImmutableSerializer.Snapshot<>();
        read.readSnapshot(snapshot.getCurrentVersion(), new DataInputDeserializer(out.getCopyOfBuffer()),
                SerializersTest.class.getClassLoader());
        assertThat(read.restoreSerializer()).isSameAs(serializer);
        assertThat(snapshot.resolveSchemaCompatibility(read).isCompatibleAsIs()).isTrue();
    }

    private static <T> T roundTrip(TypeSerializer<T> serializer, T value) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(value, out);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        T copy = serializer.deserialize(in);
        assertThat(in.available()).isZero();
        return copy;
    }
}
