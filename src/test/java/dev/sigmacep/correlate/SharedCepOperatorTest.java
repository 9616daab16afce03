package dev.sigmacep.correlate;

import dev.sigmacep.alert.Alert;
import dev.sigmacep.event.Event;
import dev.sigmacep.event.SourceFiles;
import dev.sigmacep.testing.Accumulators;
import dev.sigmacep.sigma.rule.CorrelationRule;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;

import static dev.sigmacep.correlate.CorrelationOperatorTest.INPUTS;
import static dev.sigmacep.correlate.CorrelationOperatorTest.LATE;
import static dev.sigmacep.correlate.CorrelationOperatorTest.describe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The operator that runs several sequence correlations over one keyed input (BATCH): for each correlation it finds
 * exactly what Flink's CEP operator with the caps inside finds on that correlation's own keyed input — the same
 * alerts with the same timestamps, and the same inputs over the cap — whatever the order of inputs that share a
 * partition and a timestamp, across groups that fall quiet for longer than their timespan and come back.
 */
class SharedCepOperatorTest {
    private static final long MINUTE = 60_000;

    private static CorrelationPlan plan(String id, CorrelationRule.Type type, int roles, Duration timespan,
                                        List<String> groupBy) {
        return CorrelationOperatorTest.plan(id, id, type, roles, timespan, groupBy);
    }

    private static final List<CorrelationPlan> PLANS = List.of(
            plan("pair", CorrelationRule.Type.TEMPORAL_ORDERED, 2, Duration.ofMinutes(10), List.of("Computer", "ProcessGuid")),
            plan("triple", CorrelationRule.Type.TEMPORAL_ORDERED, 3, Duration.ofMinutes(30), List.of("Computer")),
            plan("any-two", CorrelationRule.Type.TEMPORAL, 2, Duration.ofMinutes(5), List.of("Computer")));
    private static final List<OutputTag<Alert>> ALERTS = PLANS.stream()
            .map(plan -> new OutputTag<>("alerts-" + plan.label(), TypeInformation.of(Alert.class))).toList();

    /** One event: its record, and per plan the role it plays there (-1: none). */
    private record Sample(String host, String guid, long millis, int serial, int[] roles) {
        Event event() {
            String raw = "{\"host\":\"" + host + "\",\"guid\":\"" + guid + "\",\"t\":" + millis + ",\"n\":" + serial + "}";
            return new Event(Map.of("Computer", host, "ProcessGuid", guid), host, millis * 1000 + serial % 7, "test", raw);
        }

        CorrelationEvent input(int plan) {
            return input(plan, event());
        }

        CorrelationEvent input(int plan, Event event) {
            List<String> groupValues = PLANS.get(plan).groupBy().size() == 2 ? List.of(host, guid) : List.of(host);
            return new CorrelationEvent(groupValues, 1 << roles[plan], event);
        }
    }

    private static List<Sample> samples(long seed, int count) {
        Random random = new Random(seed);
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int[] roles = new int[PLANS.size()];
            boolean any = false;
            for (int p = 0; p < PLANS.size(); p++) {
                roles[p] = random.nextInt(4) == 0 ? -1 : random.nextInt(PLANS.get(p).roleCount());
                any |= roles[p] >= 0;
            }
            if (any) { // a 20 s grid over four hours: many inputs share a timestamp, groups fall quiet and come back
                samples.add(new Sample("H" + random.nextInt(4), "g" + random.nextInt(5),
                        random.nextInt(720) * 20_000L, i, roles));
            }
        }
        return samples;
    }

    /**
     * Each plan alone in Flink's CEP operator with the caps inside, inputs in time order, then the end of time; on
     * RocksDB, so with Flink's own shared buffer (on the heap the operator uses the same uncached one as the shared).
     */
    private static List<String> expected(List<Sample> samples, int cap, List<String> overCap) throws Exception {
        List<String> alerts = new ArrayList<>();
        for (int p = 0; p < PLANS.size(); p++) {
            CappedCepOperator operator = new CappedCepOperator(PLANS.get(p), INPUTS, LATE, cap, 1_000_000);
            try (var harness = new KeyedOneInputStreamOperatorTestHarness<>(operator, CorrelationEvent::key, Types.STRING)) {
                harness.setStateBackend(new EmbeddedRocksDBStateBackend()); // where Flink keeps its own cached buffer
                harness.open();
                final int plan = p;
                List<CorrelationEvent> inputs = new ArrayList<>(samples.stream()
                        .filter(sample -> sample.roles[plan] >= 0).map(sample -> sample.input(plan)).toList());
                inputs.sort(new CorrelationEventOrder()); // time order, and the cap spends in the order CEP sees them
                for (CorrelationEvent input : inputs) {
                    harness.processElement(new StreamRecord<>(input, input.timeMicros() / 1000));
                }
                harness.processWatermark(Long.MAX_VALUE);
                for (Object output : harness.getOutput()) {
                    if (output instanceof StreamRecord<?> record) {
                        @SuppressWarnings("unchecked")
                        StreamRecord<Alert> alert = (StreamRecord<Alert>) record;
                        alerts.add(describe(alert));
                    }
                }
                overCap.addAll(overCapReasons(harness));
                assertThat(harness.getSideOutput(LATE)).isNull();
            }
        }
        return alerts;
    }

    /** The same events as shared inputs, sorted as BATCH sorts them (partition, then time; ties shuffled). */
    private static List<String> shared(List<Sample> samples, int cap, List<String> overCap, long seed) throws Exception {
        return shared(samples, cap, overCap, seed, null);
    }

    /**
     * @param input null, or a file to write the events' records to, one a line, so that each shared input crosses as a
     *              reference to its record there, as it does through BATCH's exchange from a positioned source
     */
    private static List<String> shared(List<Sample> samples, int cap, List<String> overCap, long seed, Path input)
            throws Exception {
        ByteArrayOutputStream lines = new ByteArrayOutputStream();
        int file = input == null ? -1 : SourceFiles.register(input.toAbsolutePath().toString());
        List<StreamRecord<SharedInput>> records = new ArrayList<>();
        for (Sample sample : samples) {
            List<Integer> members = new ArrayList<>();
            List<CorrelationEvent> inputs = new ArrayList<>();
            Event event = sample.event();
            for (int p = 0; p < PLANS.size(); p++) {
                if (sample.roles[p] >= 0) {
                    members.add(p);
                    inputs.add(sample.input(p, event));
                }
            }
            RecordReference reference = null;
            if (input != null) {
                byte[] record = event.rawUtf8();
                reference = new RecordReference(file, lines.size(), record.length, RecordReference.crc32c(record));
                lines.write(record);
                lines.write('\n');
            }
            SharedInput shared = new SharedInput(members.stream().mapToInt(Integer::intValue).toArray(), inputs,
                    reference);
            records.add(new StreamRecord<>(input == null ? shared : exchanged(shared), sample.millis));
        }
        if (input != null) {
            Files.write(input, lines.toByteArray());
        }
        Collections.shuffle(records, new Random(seed));
        records.sort(Comparator.comparing((StreamRecord<SharedInput> r) -> r.getValue().partition())
                .thenComparingLong(StreamRecord::getTimestamp));
        List<String> alerts = new ArrayList<>();
        try (var harness = harness(PLANS, ALERTS, cap)) {
            for (StreamRecord<SharedInput> record : records) {
                harness.processElement(record);
            }
            harness.endInput();
            assertThat(Accumulators.counted(harness, "correlate.records-read-back"))
                    .isEqualTo(input == null ? 0 : records.size());
            assertThat(harness.getOutput()).noneMatch(output -> output instanceof StreamRecord<?>);
            for (OutputTag<Alert> tag : ALERTS) {
                ConcurrentLinkedQueue<StreamRecord<Alert>> made = harness.getSideOutput(tag);
                if (made != null) {
                    made.forEach(record -> alerts.add(describe(record)));
                }
            }
            overCap.addAll(overCapReasons(harness));
        }
        return alerts;
    }

    @Test
    void findsWhatEachCorrelationsOwnCepOperatorFinds() throws Exception {
        for (long seed = 1; seed <= 6; seed++) {
            List<Sample> samples = samples(seed, 900);
            List<String> expectedOverCap = new ArrayList<>();
            List<String> expected = expected(samples, 1_000_000, expectedOverCap);
            List<String> overCap = new ArrayList<>();
            assertThat(shared(samples, 1_000_000, overCap, seed)).as("seed " + seed)
                    .containsExactlyInAnyOrderElementsOf(expected);
            assertThat(expected).as("seed %d: every correlation alerts", seed)
                    .anyMatch(alert -> alert.startsWith("pair@")).anyMatch(alert -> alert.startsWith("triple@"))
                    .anyMatch(alert -> alert.startsWith("any-two@"));
            assertThat(overCap).isEmpty();
            assertThat(expectedOverCap).isEmpty();
        }
    }

    @Test
    void readsBackTheRecordsOfInputsThatCrossedAsReferences(@TempDir Path dir) throws Exception {
        for (long seed = 1; seed <= 3; seed++) {
            List<Sample> samples = samples(seed, 900);
            List<String> expectedOverCap = new ArrayList<>();
            List<String> expected = expected(samples, 3, expectedOverCap);
            List<String> overCap = new ArrayList<>();
            assertThat(shared(samples, 3, overCap, seed, dir.resolve("seed-" + seed + ".ndjson"))).as("seed " + seed)
                    .containsExactlyInAnyOrderElementsOf(expected);
            assertThat(overCap).containsExactlyInAnyOrderElementsOf(expectedOverCap);
        }
    }

    @Test
    void anInputFileThatChangedUnderTheReplayFailsIt(@TempDir Path dir) throws Exception {
        Path input = dir.resolve("changing.ndjson");
        StreamRecord<SharedInput> start = pair("H1", "g1", 0, 0);
        byte[] record = start.getValue().inputs().get(0).records().get(0);
        Files.write(input, record);
        RecordReference reference = new RecordReference(SourceFiles.register(input.toString()), 0, record.length,
                RecordReference.crc32c(record));
        SharedInput crossed = exchanged(new SharedInput(new int[]{0}, start.getValue().inputs(), reference));
        Files.writeString(input, new String(record, StandardCharsets.UTF_8).replace("H1", "H2"));
        try (var harness = harness(PLANS.subList(0, 1), ALERTS.subList(0, 1), 100)) {
            assertThatThrownBy(() -> harness.processElement(new StreamRecord<>(crossed, 0)))
                    .isInstanceOf(IOException.class)
                    .hasMessage("input file " + input + " changed while the replay read it: the " + record.length
                            + " bytes at offset 0 no longer hold the record read there; replay files that nothing "
                            + "writes to meanwhile");
        }
        Files.delete(input);
        try (var harness = harness(PLANS.subList(0, 1), ALERTS.subList(0, 1), 100)) {
            assertThatThrownBy(() -> harness.processElement(new StreamRecord<>(crossed, 0)))
                    .isInstanceOf(IOException.class)
                    .hasMessageStartingWith("input file " + input + " changed while the replay read it: it can no "
                            + "longer be opened (java.nio.file.NoSuchFileException: " + input + ")");
        }
    }

    /** A shared input as the operator gets it from BATCH's exchange: serialized, then read. */
    private static SharedInput exchanged(SharedInput shared) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        SharedInput.Serializer.INSTANCE.serialize(shared, out);
        return SharedInput.Serializer.INSTANCE.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    }

    @Test
    void spendsEachGroupsInputCapAsTheCappedCepOperatorDoes() throws Exception {
        for (long seed = 11; seed <= 14; seed++) {
            List<Sample> samples = samples(seed, 900);
            List<String> expectedOverCap = new ArrayList<>();
            List<String> expected = expected(samples, 3, expectedOverCap);
            List<String> overCap = new ArrayList<>();
            assertThat(shared(samples, 3, overCap, seed)).as("seed " + seed).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(expectedOverCap).as("seed %d: the cap bites", seed).isNotEmpty();
            assertThat(overCap).containsExactlyInAnyOrderElementsOf(expectedOverCap);
        }
    }

    @Test
    void aGroupQuietForLongerThanItsTimespanStartsAfresh() throws Exception {
        try (var harness = harness(PLANS.subList(0, 1), ALERTS.subList(0, 1), 100)) {
            // a start, then 11 minutes of other groups' inputs (a 10-minute timespan), then its connection: no match;
            // then a fresh start and connection of the same group: a match
            harness.processElement(pair("H1", "g1", 0, 0));
            harness.processElement(pair("H1", "g2", 0, 5 * MINUTE));
            harness.processElement(pair("H1", "g2", 0, 11 * MINUTE));
            harness.processElement(pair("H1", "g1", 1, 11 * MINUTE));
            harness.processElement(pair("H1", "g1", 0, 12 * MINUTE));
            harness.processElement(pair("H1", "g1", 1, 13 * MINUTE));
            harness.endInput();
            assertThat(harness.getSideOutput(ALERTS.get(0))).extracting(CorrelationOperatorTest::describe)
                    .singleElement().asString().startsWith("pair@780000 {Computer=H1, ProcessGuid=g1} 720000000-780000000");
        }
    }

    @Test
    void refusesInputThatIsNotInTimeOrderWithinItsPartition() throws Exception {
        try (var harness = harness(PLANS.subList(0, 1), ALERTS.subList(0, 1), 100)) {
            harness.processElement(pair("H1", "g1", 0, MINUTE));
            assertThatThrownBy(() -> harness.processElement(pair("H1", "g1", 1, 0)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("partition H1: input at 0 ms after one at 60000 ms; this operator needs BATCH's input"
                            + " sorted by key, then time");
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, SharedInput, Alert> harness(
            List<CorrelationPlan> plans, List<OutputTag<Alert>> alerts, int cap) throws Exception {
        var harness = new KeyedOneInputStreamOperatorTestHarness<>(new SharedCepOperator(plans, alerts, INPUTS, cap),
                SharedInput::partition, Types.STRING);
        harness.open();
        return harness;
    }

    private static List<String> overCapReasons(KeyedOneInputStreamOperatorTestHarness<?, ?, ?> harness) {
        var records = harness.getSideOutput(StateCap.OVER_CAP);
        return records == null ? List.of() : records.stream().map(record -> record.getValue().reason()).toList();
    }

    private static StreamRecord<SharedInput> pair(String host, String guid, int role, long millis) {
        Sample sample = new Sample(host, guid, millis, 0, new int[]{role, -1, -1});
        return new StreamRecord<>(new SharedInput(new int[]{0}, List.of(sample.input(0))), millis);
    }
}
