package dev.sigmacep.correlate;

import dev.sigmacep.alert.Alert;
import dev.sigmacep.event.Event;
import dev.sigmacep.sigma.rule.CorrelationRule;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.cep.nfa.sharedbuffer.UncachedSharedBuffer;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.checkpoint.SavepointType;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static dev.sigmacep.correlate.CorrelationCepOperatorTest.feed;
import static dev.sigmacep.correlate.CorrelationCepOperatorTest.outputs;
import static dev.sigmacep.correlate.CorrelationCepOperatorTest.stream;
import static dev.sigmacep.correlate.CorrelationOperatorTest.INPUTS;
import static dev.sigmacep.correlate.CorrelationOperatorTest.LATE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The streaming sequence operator finds exactly what Flink's CEP operator ({@link CorrelationCepOperator}) finds, on
 * out-of-order input with watermarks and late inputs, on the heap and on RocksDB; carries its waiting inputs and
 * partial matches through a snapshot (also into the other backend); takes over a savepoint of Flink's operator; and
 * holds no state once every timespan has passed.
 */
class EventTimeCepOperatorTest {
    private static final String BASE = "    group-by: [Computer]\n    timespan: 1m\n";
    private static final List<CorrelationPlan> PLANS = List.of(
            CorrelationOperatorTest.plan("triple", "triple", CorrelationRule.Type.TEMPORAL_ORDERED, 3,
                    Duration.ofMinutes(30), List.of("Computer")),
            CorrelationOperatorTest.plan("any-two", "any-two", CorrelationRule.Type.TEMPORAL, 2,
                    Duration.ofMinutes(5), List.of("Computer")),
            PlannedFromYaml.plan("    type: temporal_ordered\n    rules: [a, b, c]\n" + BASE
                    + "    condition: a and not b and c\n"),
            PlannedFromYaml.plan("    type: temporal_ordered\n    rules: [a, b]\n" + BASE + "    until: x\n"));

    private static KeyedOneInputStreamOperatorTestHarness<String, CorrelationEvent, Alert> harness(
            OneInputStreamOperator<CorrelationEvent, Alert> operator, StateBackend backend,
            OperatorSubtaskState restored) throws Exception {
        var harness = new KeyedOneInputStreamOperatorTestHarness<>(operator, CorrelationEvent::key, Types.STRING);
        harness.setStateBackend(backend);
        if (restored != null) {
            harness.initializeState(restored);
        }
        harness.open();
        return harness;
    }

    private static List<String> run(OneInputStreamOperator<CorrelationEvent, Alert> operator, StateBackend backend,
                                    CorrelationPlan plan, List<Object> stream) throws Exception {
        try (var harness = harness(operator, backend, null)) {
            feed(harness, plan, stream);
            harness.processWatermark(Long.MAX_VALUE);
            return outputs(harness);
        }
    }

    private static EventTimeCepOperator ours(CorrelationPlan plan) {
        return new EventTimeCepOperator(plan, INPUTS, LATE);
    }

    @Test
    void findsWhatFlinksCepOperatorFinds() throws Exception {
        Map<String, Supplier<StateBackend>> backends =
                Map.of("heap", HashMapStateBackend::new, "RocksDB", EmbeddedRocksDBStateBackend::new);
        for (CorrelationPlan plan : PLANS) {
            for (long seed = 1; seed <= 3; seed++) {
                List<Object> stream = stream(seed);
                List<String> flinks = run(new CorrelationCepOperator(plan, INPUTS, LATE), new HashMapStateBackend(),
                        plan, stream);
                assertThat(flinks).as("%s, seed %d", plan.label(), seed)
                        .anyMatch(output -> output.startsWith(plan.rule().id() + "@"))
                        .anyMatch(output -> output.startsWith("late "));
                for (var backend : backends.entrySet()) {
                    // within one watermark the two operators take their keys in different orders
                    assertThat(run(ours(plan), backend.getValue().get(), plan, stream))
                            .as("%s, seed %d, %s", plan.label(), seed, backend.getKey())
                            .containsExactlyInAnyOrderElementsOf(flinks);
                }
            }
        }
    }

    /**
     * Keyed by {@link GroupKey}, as the sequences that share an exchange in a streaming job are, the operator finds
     * what it finds keyed by the group's key, through a snapshot, on both backends; here the six hosts' groups fall in
     * two partitions, so several groups share a partition's key group.
     */
    @Test
    void findsTheSameKeyedByGroupKey() throws Exception {
        Map<String, Supplier<StateBackend>> backends =
                Map.of("heap", HashMapStateBackend::new, "RocksDB", EmbeddedRocksDBStateBackend::new);
        for (CorrelationPlan plan : PLANS) {
            List<Object> stream = stream(11);
            List<String> byKey = run(ours(plan), new HashMapStateBackend(), plan, stream);
            assertThat(byKey).as(plan.label()).anyMatch(output -> output.startsWith(plan.rule().id() + "@"));
            for (var backend : backends.entrySet()) {
                int half = stream.size() / 2;
                List<String> byGroupKey = new ArrayList<>();
                OperatorSubtaskState snapshot;
                try (var harness = groupKeyed(ours(plan), backend.getValue().get(), null)) {
                    feed(harness, plan, stream.subList(0, half));
                    byGroupKey.addAll(outputs(harness));
                    snapshot = harness.snapshot(1, 1);
                }
                try (var harness = groupKeyed(ours(plan), backend.getValue().get(), snapshot)) {
                    harness.processWatermark(lastWatermark(stream.subList(0, half)));
                    feed(harness, plan, stream.subList(half, stream.size()));
                    harness.processWatermark(Long.MAX_VALUE);
                    byGroupKey.addAll(outputs(harness));
                }
                assertThat(byGroupKey).as("%s, %s", plan.label(), backend.getKey())
                        .containsExactlyInAnyOrderElementsOf(byKey);
            }
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<GroupKey, CorrelationEvent, Alert> groupKeyed(
            OneInputStreamOperator<CorrelationEvent, Alert> operator, StateBackend backend,
            OperatorSubtaskState restored) throws Exception {
        var harness = new KeyedOneInputStreamOperatorTestHarness<>(operator,
                input -> GroupKeys.ANY_POWER_OF_TWO.of("p" + Math.floorMod(input.key().hashCode(), 2), input.key()),
                GroupKeys.ANY_POWER_OF_TWO.type());
        harness.setStateBackend(backend);
        if (restored != null) {
            harness.initializeState(restored);
        }
        harness.open();
        return harness;
    }

    /**
     * The first half of the stream on one operator and backend, a snapshot, the rest on ours and another, which holds
     * nothing once every timespan has passed (so whatever the first left in the state goes too).
     */
    private static List<String> resumed(OneInputStreamOperator<CorrelationEvent, Alert> before, StateBackend first,
                                        StateBackend then, CorrelationPlan plan, List<Object> stream) throws Exception {
        int half = stream.size() / 2;
        List<String> outputs = new ArrayList<>();
        OperatorSubtaskState snapshot;
        try (var harness = harness(before, first, null)) {
            feed(harness, plan, stream.subList(0, half));
            outputs.addAll(outputs(harness));
            // from one backend to another only through a savepoint in Flink's canonical format
            snapshot = first.getClass() == then.getClass() ? harness.snapshot(1, 1) : harness.snapshotWithLocalState(1, 1,
                    SavepointType.savepoint(SavepointFormatType.CANONICAL)).getJobManagerOwnedState();
        }
        try (var harness = harness(ours(plan), then, snapshot)) {
            // an operator's watermark is not in its snapshot: the sources send theirs again
            harness.processWatermark(lastWatermark(stream.subList(0, half)));
            feed(harness, plan, stream.subList(half, stream.size()));
            harness.processWatermark(Long.MAX_VALUE);
            outputs.addAll(outputs(harness));
            harness.snapshot(2, 2); // on the heap, the groups in use are written back
            assertThat(keysHolding(harness)).as("nothing left").isEmpty();
        }
        return outputs;
    }

    @Test
    void carriesWaitingInputsAndPartialMatchesThroughASnapshot() throws Exception {
        CorrelationPlan plan = PLANS.get(0);
        for (long seed = 7; seed <= 8; seed++) {
            List<Object> stream = stream(seed);
            List<String> uninterrupted = run(ours(plan), new HashMapStateBackend(), plan, stream);
            assertThat(uninterrupted).anyMatch(output -> output.startsWith("triple@"));
            assertThat(resumed(ours(plan), new HashMapStateBackend(), new HashMapStateBackend(), plan, stream))
                    .as("heap to heap").containsExactlyInAnyOrderElementsOf(uninterrupted);
            assertThat(resumed(ours(plan), new EmbeddedRocksDBStateBackend(), new EmbeddedRocksDBStateBackend(), plan,
                    stream)).as("RocksDB to RocksDB").containsExactlyInAnyOrderElementsOf(uninterrupted);
            // the heap's buffer counts have no records timer: they go at the pruning timers of its partial matches
            assertThat(resumed(ours(plan), new HashMapStateBackend(), new EmbeddedRocksDBStateBackend(), plan,
                    stream)).as("heap to RocksDB").containsExactlyInAnyOrderElementsOf(uninterrupted);
        }
    }

    @Test
    void takesOverASavepointOfFlinksCepOperator() throws Exception {
        CorrelationPlan plan = PLANS.get(0);
        List<Object> stream = stream(9);
        List<String> uninterrupted = run(ours(plan), new HashMapStateBackend(), plan, stream);
        assertThat(resumed(new CorrelationCepOperator(plan, INPUTS, LATE), new HashMapStateBackend(),
                new HashMapStateBackend(), plan, stream)).containsExactlyInAnyOrderElementsOf(uninterrupted);
        // its snapshot has no watermark of ours: its buffer counts may be of any time, and still go
        assertThat(resumed(new CorrelationCepOperator(plan, INPUTS, LATE), new EmbeddedRocksDBStateBackend(),
                new EmbeddedRocksDBStateBackend(), plan, stream)).containsExactlyInAnyOrderElementsOf(uninterrupted);
    }

    /**
     * Flink's CEP operator leaves the buffer's count of events at the watermark it last advanced to in its snapshot,
     * which holds no watermark of ours: restored on RocksDB, that count has no records timer, and still goes.
     */
    @Test
    void aSavepointOfFlinksCepOperatorLeavesNoBufferCountBehind() throws Exception {
        CorrelationPlan plan = PLANS.get(0);
        OperatorSubtaskState snapshot;
        try (var harness = harness(new CorrelationCepOperator(plan, INPUTS, LATE), new EmbeddedRocksDBStateBackend(),
                null)) {
            harness.processWatermark(0);
            harness.processElement(CorrelationOperatorTest.input("H1", 0, 10_000));
            harness.processWatermark(10_000); // through the NFA at exactly the watermark: its count stays
            snapshot = harness.snapshot(1, 1);
            assertThat(keysHolding(harness)).containsEntry("sharedBuffer-events-count", List.of("H1"));
        }
        try (var harness = harness(ours(plan), new EmbeddedRocksDBStateBackend(), snapshot)) {
            harness.processWatermark(Long.MAX_VALUE);
            harness.snapshot(2, 2);
            assertThat(keysHolding(harness)).as("nothing left").isEmpty();
        }
    }

    /** Per state of the operator, by its name, the keys holding it. */
    private static Map<String, List<Object>> keysHolding(
            KeyedOneInputStreamOperatorTestHarness<String, CorrelationEvent, Alert> harness) {
        Map<String, List<Object>> keys = new TreeMap<>();
        List<String> states = new ArrayList<>(List.of(EventTimeCepOperator.NFA_STATE, EventTimeCepOperator.WAITING_INPUTS,
                EventTimeCepOperator.INPUT_RECORDS));
        UncachedSharedBuffer.mapStates(INPUTS).forEach(state -> states.add(state.getName()));
        for (String state : states) {
            try (Stream<Object> holding = harness.getOperator().getKeyedStateBackend().getKeys(state, VoidNamespace.INSTANCE)) {
                List<Object> sorted = holding.sorted().toList();
                if (!sorted.isEmpty()) {
                    keys.put(state, sorted);
                }
            }
        }
        return keys;
    }

    @Test
    void waitingInputsAndPartialMatchesAreInTheSnapshot() throws Exception {
        CorrelationPlan plan = PLANS.get(0);
        for (Supplier<StateBackend> backend : List.<Supplier<StateBackend>>of(HashMapStateBackend::new,
                EmbeddedRocksDBStateBackend::new)) {
            boolean rocksDb = backend.get() instanceof EmbeddedRocksDBStateBackend;
            OperatorSubtaskState snapshot;
            try (var harness = harness(ours(plan), backend.get(), null)) {
                harness.processWatermark(0);
                harness.processElement(CorrelationOperatorTest.input("H1", 0, 10_000));
                harness.processElement(CorrelationOperatorTest.input("H1", 1, 20_000));
                harness.processElement(CorrelationOperatorTest.input("H2", 0, 15_000));
                harness.processWatermark(12_000); // H1's first input goes through the NFA; two wait
                snapshot = harness.snapshot(1, 1);
                Map<String, List<Object>> expected = new TreeMap<>(Map.of(
                        "eventQueuesStateName", List.of("H1", "H2"), "nfaStateName", List.of("H1"),
                        "sharedBuffer-entries-with-lockable-edges", List.of("H1"),
                        "sharedBuffer-events", List.of("H1"), "sharedBuffer-events-count", List.of("H1")));
                if (rocksDb) {
                    expected.put("inputRecords", List.of("H1")); // records apart from the buffer
                }
                assertThat(keysHolding(harness)).isEqualTo(expected);
            }
            try (var harness = harness(ours(plan), backend.get(), snapshot)) {
                harness.processElement(CorrelationOperatorTest.input("H1", 2, 30_000));
                harness.processWatermark(Long.MAX_VALUE);
                assertThat(harness.getOutput()).filteredOn(StreamRecord.class::isInstance).hasSize(1);
                harness.snapshot(2, 2);
                assertThat(keysHolding(harness)).as("nothing left").isEmpty();
            }
        }
    }

    /**
     * On RocksDB the records stay apart from the buffer, by key and timestamp. After a restore an input replayed from
     * the sources can come at a key and time whose records are kept already: it joins them and does not replace them.
     */
    @Test
    void anInputReplayedAtATimeWhoseRecordsAreKeptJoinsThem() throws Exception {
        CorrelationPlan plan = PLANS.get(0);
        for (Supplier<StateBackend> backend : List.<Supplier<StateBackend>>of(HashMapStateBackend::new,
                EmbeddedRocksDBStateBackend::new)) {
            OperatorSubtaskState snapshot;
            try (var harness = harness(ours(plan), backend.get(), null)) {
                harness.processElement(CorrelationOperatorTest.input("H1", 0, 10_000));
                harness.processWatermark(12_000); // through the NFA, its record kept
                snapshot = harness.snapshot(1, 1);
            }
            try (var harness = harness(ours(plan), backend.get(), snapshot)) {
                harness.processElement(CorrelationOperatorTest.input("H1", 1, 10_000)); // no watermark yet
                harness.processElement(CorrelationOperatorTest.input("H1", 2, 30_000));
                harness.processWatermark(Long.MAX_VALUE);
                assertThat(CorrelationOperatorTest.alerts(harness)).singleElement()
                        .satisfies(alert -> assertThat(alert.events()).containsExactly(
                                "{\"host\":\"H1\",\"role\":0,\"t\":10000}",
                                "{\"host\":\"H1\",\"role\":1,\"t\":10000}",
                                "{\"host\":\"H1\",\"role\":2,\"t\":30000}"));
            }
        }
    }

    /**
     * Off the heap backend the first {@link EventTimeCepOperator#MAX_HELD_ON_HEAP} waiting inputs stay on the heap and
     * further ones go to the keyed state; a snapshot stores those on the heap too, and they stay there. Here 10,000 more
     * wait for one watermark, some at a key and second that an input held on the heap has too, and a snapshot is taken
     * with both kinds waiting (so some of those keys and seconds get inputs beyond the bound after it): going on, and
     * through the restore, the alerts are exactly those of Flink's CEP operator run without one.
     */
    @Test
    void beyondTheInputsItHoldsOnTheHeapRocksDbKeepsWaitingInputsInTheKeyedState() throws Exception {
        CorrelationPlan plan = PLANS.get(0);
        int held = EventTimeCepOperator.MAX_HELD_ON_HEAP;
        List<Object> stream = crowd(held + 10_000);
        List<String> flinks = run(new CorrelationCepOperator(plan, INPUTS, LATE), new HashMapStateBackend(), plan,
                stream);
        assertThat(flinks).hasSizeGreaterThan(100).allMatch(output -> output.startsWith("triple@"));
        OperatorSubtaskState snapshot;
        try (var harness = harness(ours(plan), new EmbeddedRocksDBStateBackend(), null)) {
            feed(harness, plan, stream.subList(0, held));
            assertThat(keysHolding(harness)).as("all on the heap").doesNotContainKey(EventTimeCepOperator.WAITING_INPUTS);
            feed(harness, plan, stream.subList(held, held + 1));
            assertThat(keysHolding(harness).get(EventTimeCepOperator.WAITING_INPUTS)).as("the first beyond")
                    .containsExactly(((CorrelationEvent) ((StreamRecord<?>) stream.get(held)).getValue()).key());
            feed(harness, plan, stream.subList(held + 1, held + 5_000));
            snapshot = harness.snapshot(1, 1);
            assertThat(outputs(harness)).isEmpty();
            feed(harness, plan, stream.subList(held + 5_000, stream.size()));
            assertThat(outputs(harness)).as("going on").containsExactlyInAnyOrderElementsOf(flinks);
            harness.snapshot(2, 2);
            assertThat(keysHolding(harness)).as("nothing left").isEmpty();
        }
        try (var harness = harness(ours(plan), new EmbeddedRocksDBStateBackend(), snapshot)) {
            feed(harness, plan, stream.subList(held + 5_000, stream.size()));
            assertThat(outputs(harness)).as("through a snapshot").containsExactlyInAnyOrderElementsOf(flinks);
            harness.snapshot(2, 2);
            assertThat(keysHolding(harness)).as("nothing left").isEmpty();
        }
    }

    /**
     * {@code count} inputs of 15,000 hosts within ten minutes, in whole seconds (so that many share a key and time),
     * in random order, with no watermark until the last, which passes them all.
     */
    private static List<Object> crowd(int count) {
        Random random = new Random(15);
        List<Object> stream = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String host = "H" + random.nextInt(15_000);
            long millis = 1_000L * (1 + random.nextInt(600)); // from 1 s: Flink CEP prunes no match started at 0
            String raw = "{\"host\":\"" + host + "\",\"t\":" + millis + ",\"n\":" + i + "}";
            Event event = new Event(Map.of("Computer", host), host, millis * 1000, "test", raw);
            stream.add(new StreamRecord<>(new CorrelationEvent(List.of(host), 1 << random.nextInt(3), event), millis));
        }
        stream.add(Long.MAX_VALUE);
        return stream;
    }

    @Test
    void keepsGoingAfterASnapshotAndRestoresFromALaterOne() throws Exception {
        for (CorrelationPlan plan : PLANS) {
            List<Object> stream = stream(12);
            List<String> uninterrupted = run(ours(plan), new HashMapStateBackend(), plan, stream);
            for (Supplier<StateBackend> backend : List.<Supplier<StateBackend>>of(HashMapStateBackend::new,
                    EmbeddedRocksDBStateBackend::new)) {
                int third = stream.size() / 3;
                List<String> outputs = new ArrayList<>();
                OperatorSubtaskState second;
                try (var harness = harness(ours(plan), backend.get(), null)) {
                    feed(harness, plan, stream.subList(0, third));
                    harness.snapshot(1, 1); // written back, then read again by the inputs that follow
                    feed(harness, plan, stream.subList(third, 2 * third));
                    second = harness.snapshot(2, 2);
                    outputs.addAll(outputs(harness));
                }
                try (var harness = harness(ours(plan), backend.get(), second)) {
                    harness.processWatermark(lastWatermark(stream.subList(0, 2 * third)));
                    feed(harness, plan, stream.subList(2 * third, stream.size()));
                    harness.processWatermark(Long.MAX_VALUE);
                    outputs.addAll(outputs(harness));
                }
                assertThat(outputs).as(plan.label()).containsExactlyInAnyOrderElementsOf(uninterrupted);
            }
        }
    }

    static long lastWatermark(List<Object> stream) {
        long last = Long.MIN_VALUE;
        for (Object item : stream) {
            if (item instanceof Long watermark) {
                last = watermark;
            }
        }
        return last;
    }

    @Test
    void holdsNoStateOnceEveryTimespanHasPassed() throws Exception {
        for (CorrelationPlan plan : PLANS) {
            for (StateBackend backend : List.of(new HashMapStateBackend(), new EmbeddedRocksDBStateBackend())) {
                try (var harness = harness(ours(plan), backend, null)) {
                    feed(harness, plan, stream(11));
                    harness.snapshot(1, 1);
                    harness.processWatermark(Long.MAX_VALUE);
                    harness.snapshot(2, 2); // on the heap, the groups in use are written back
                    assertThat(keysHolding(harness)).as(plan.label()).isEmpty();
                }
            }
        }
    }
}
