package dev.sigmacep.correlate;

import dev.sigmacep.event.Event;
import dev.sigmacep.sigma.rule.CorrelationCondition;
import dev.sigmacep.sigma.rule.CorrelationRule;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.checkpoint.SavepointType;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static dev.sigmacep.testing.Accumulators.counted;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The caps on a correlation's state, exactly at the cap: what passes, what leaves with its reason, what is counted;
 * on the heap (budgets as objects, span ends in a queue until a snapshot) and on RocksDB (budgets and timers in the
 * keyed state), with the same outcomes and the same snapshots.
 */
class StateCapTest {
    private static final long MINUTE = 60_000;
    private static final CorrelationPlan PLAN = plan(Duration.ofMinutes(10));

    private static CorrelationPlan plan(Duration timespan) {
        CorrelationRule rule = new CorrelationRule("corr-id", "corr", "Correlation", "high", List.of(), "corr.yml",
                CorrelationRule.Type.TEMPORAL_ORDERED, List.of("r0", "r1"), List.of("Computer"), timespan, Map.of(),
                false, CorrelationCondition.ALL_RULES, null, List.of(), List.of(), Map.of());
        return new CorrelationPlan(rule, "corr-id", new int[]{0, 1}, new int[]{-1, -1},
                new String[][]{{"Computer"}, {"Computer"}}, new String[][]{{}, {}}, 2, StepJoins.NONE);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, CorrelationEvent, CorrelationEvent> harness(
            int maxInputsPerGroup, int maxGroups, OperatorSubtaskState restore, boolean rocksDb) throws Exception {
        var harness = new KeyedOneInputStreamOperatorTestHarness<>(new StateCap(PLAN, maxInputsPerGroup, maxGroups),
                CorrelationEvent::key, Types.STRING);
        harness.setStateBackend(rocksDb ? new EmbeddedRocksDBStateBackend() : new HashMapStateBackend());
        if (restore != null) {
            harness.initializeState(restore);
        }
        harness.open();
        return harness;
    }

    private static StreamRecord<CorrelationEvent> input(String host, long millis) {
        String raw = "{\"host\":\"" + host + "\",\"t\":" + millis + "}";
        Event event = new Event(Map.of("Computer", host), host, millis * 1000, "test", raw);
        return new StreamRecord<>(new CorrelationEvent(List.of(host), 1, event), millis);
    }

    /** The records that passed, as "host@millis". */
    private static List<String> passed(KeyedOneInputStreamOperatorTestHarness<String, CorrelationEvent, CorrelationEvent> harness) {
        List<String> passed = new ArrayList<>();
        for (Object output : harness.getOutput()) {
            if (output instanceof StreamRecord<?> record && record.getValue() instanceof CorrelationEvent input) {
                passed.add(input.host() + "@" + input.timeMicros() / 1000);
            }
        }
        return passed;
    }

    private static List<LateEvent> overCap(KeyedOneInputStreamOperatorTestHarness<String, CorrelationEvent, CorrelationEvent> harness) {
        var records = harness.getSideOutput(StateCap.OVER_CAP);
        return records == null ? List.of() : records.stream().map(StreamRecord::getValue).toList();
    }

    /** The groups whose budgets a snapshot taken now holds (the heap writes its budgets at snapshots only). */
    private static int heldInASnapshot(KeyedOneInputStreamOperatorTestHarness<?, ?, ?> harness) throws Exception {
        harness.snapshot(++checkpoints, checkpoints);
        try (Stream<Object> keys = ((StateCap) harness.getOperator()).getKeyedStateBackend()
                .getKeys("budget", VoidNamespace.INSTANCE)) {
            return (int) keys.count();
        }
    }

    private static long checkpoints;


    @ParameterizedTest(name = "RocksDB: {0}")
    @ValueSource(booleans = {false, true})
    void aGroupPassesItsCapPerTimespanAndNoMore(boolean rocksDb) throws Exception {
        try (var harness = harness(3, 100, null, rocksDb)) {
            for (long t = 0; t < 5; t++) {
                harness.processElement(input("H1", t * MINUTE)); // 5 inputs within the 10-minute span opened at 0
            }
            harness.processElement(input("H2", MINUTE)); // another group has its own budget
            harness.processElement(input("H1", 10 * MINUTE - 1)); // the span's last millisecond: still over
            harness.processElement(input("H1", 10 * MINUTE)); // opens the next span
            harness.processElement(input("H1", 11 * MINUTE));

            assertThat(passed(harness)).containsExactly("H1@0", "H1@60000", "H1@120000", "H2@60000", "H1@600000",
                    "H1@660000");
            List<LateEvent> over = overCap(harness);
            assertThat(over).hasSize(3).allSatisfy(late -> {
                assertThat(late.kind()).isEqualTo(LateEvent.OVER_CAP);
                assertThat(late.correlationId()).isEqualTo("corr-id");
                assertThat(late.reason()).endsWith("not correlated by corr: its group already had 3 inputs in this"
                        + " timespan (correlation-state.max-inputs-per-group)");
            });
            assertThat(over).extracting(LateEvent::eventMicros)
                    .containsExactly(3 * MINUTE * 1000, 4 * MINUTE * 1000, (10 * MINUTE - 1) * 1000);
            assertThat(over.get(0).reason()).startsWith("over cap: event time 1970-01-01T00:03:00");
            assertThat(over.get(0).raw()).isEqualTo("{\"host\":\"H1\",\"t\":180000}");
            assertThat(counted(harness, "correlate.over-cap.inputs-per-group")).isEqualTo(3);
            assertThat(counted(harness, "correlate.over-cap.groups")).isZero();
        }
    }

    @ParameterizedTest(name = "RocksDB: {0}")
    @ValueSource(booleans = {false, true})
    void newGroupsOverTheSubtasksCapAreRefusedUntilAGroupsStateIsGone(boolean rocksDb) throws Exception {
        try (var harness = harness(1_000, 2, null, rocksDb)) {
            harness.processElement(input("H1", 0));
            harness.processElement(input("H2", 5 * MINUTE));
            harness.processElement(input("H3", 6 * MINUTE)); // a third group: refused
            harness.processElement(input("H1", 7 * MINUTE)); // open groups go on
            assertThat(heldInASnapshot(harness)).isEqualTo(2);

            harness.processWatermark(20 * MINUTE - 1); // H1 holds state until two timespans after its span opened
            harness.processElement(input("H3", 20 * MINUTE));
            harness.processWatermark(20 * MINUTE); // now H1's inputs have all left the timespan: its state goes
            harness.processElement(input("H3", 20 * MINUTE + 1));
            harness.processElement(input("H4", 20 * MINUTE + 2)); // H2 and H3 hold state: refused

            assertThat(passed(harness)).containsExactly("H1@0", "H2@300000", "H1@420000", "H3@1200001");
            assertThat(overCap(harness)).extracting(LateEvent::reason).containsExactly(
                    "over cap: event time 1970-01-01T00:06:00.000Z not correlated by corr: 2 groups of this correlation"
                            + " hold state on this subtask (correlation-state.max-groups)",
                    "over cap: event time 1970-01-01T00:20:00.000Z not correlated by corr: 2 groups of this correlation"
                            + " hold state on this subtask (correlation-state.max-groups)",
                    "over cap: event time 1970-01-01T00:20:00.002Z not correlated by corr: 2 groups of this correlation"
                            + " hold state on this subtask (correlation-state.max-groups)");
            assertThat(counted(harness, "correlate.over-cap.groups")).isEqualTo(3);
            assertThat(counted(harness, "correlate.over-cap.inputs-per-group")).isZero();
        }
    }

    @ParameterizedTest(name = "RocksDB: {0}")
    @ValueSource(booleans = {false, true})
    void lateInputsPassUncountedForTheCorrelationsLateOutput(boolean rocksDb) throws Exception {
        try (var harness = harness(1, 1, null, rocksDb)) {
            harness.processWatermark(MINUTE);
            harness.processElement(input("H1", MINUTE)); // at the watermark: late
            harness.processElement(input("H2", 0));
            harness.processElement(input("H3", 2 * MINUTE));
            assertThat(passed(harness)).containsExactly("H1@60000", "H2@0", "H3@120000");
            assertThat(overCap(harness)).isEmpty();
            assertThat(heldInASnapshot(harness)).isEqualTo(1);
        }
    }

    @ParameterizedTest(name = "RocksDB: {0}")
    @ValueSource(booleans = {false, true})
    void stateIsGoneTwoTimespansAfterEachSpanOpened(boolean rocksDb) throws Exception {
        try (var harness = harness(10, 10_000, null, rocksDb)) {
            for (int host = 0; host < 5_000; host++) {
                harness.processElement(input("HOST-" + host, host));
            }
            harness.processElement(input("HOST-0", 15 * MINUTE)); // HOST-0 opens a second span at 15 min
            assertThat(heldInASnapshot(harness)).isEqualTo(5_000);
            harness.processWatermark(21 * MINUTE);
            assertThat(heldInASnapshot(harness)).isEqualTo(1);
            harness.processWatermark(35 * MINUTE);
            assertThat(heldInASnapshot(harness)).isZero();
            assertThat(harness.numEventTimeTimers()).isZero();
        }
    }

    @ParameterizedTest(name = "RocksDB: {0}")
    @ValueSource(booleans = {false, true})
    void theCountOfGroupsHoldingStateSurvivesARestore(boolean rocksDb) throws Exception {
        OperatorSubtaskState snapshot;
        try (var harness = harness(2, 2, null, rocksDb)) {
            harness.processElement(input("H1", 0));
            harness.processElement(input("H1", 1));
            harness.processElement(input("H2", 2));
            snapshot = harness.snapshot(1, 3);
        }
        try (var harness = harness(2, 2, snapshot, rocksDb)) {
            harness.processElement(input("H3", 3)); // still two groups hold state: refused
            harness.processElement(input("H1", 4)); // H1 spent its budget before the restore
            harness.processElement(input("H2", 5));
            harness.processWatermark(20 * MINUTE);
            harness.processElement(input("H3", 20 * MINUTE + 1));
            assertThat(passed(harness)).containsExactly("H2@5", "H3@1200001");
            assertThat(overCap(harness)).extracting(LateEvent::reason).allSatisfy(reason -> assertThat(reason)
                    .matches(".*(2 groups of this correlation hold state|its group already had 2 inputs).*"));
            assertThat(overCap(harness)).hasSize(2);
            assertThat(counted(harness, "correlate.over-cap.groups")).isEqualTo(1);
            assertThat(counted(harness, "correlate.over-cap.inputs-per-group")).isEqualTo(1);
        }
    }

    @ParameterizedTest(name = "RocksDB: {0}")
    @ValueSource(booleans = {false, true})
    void groupsCloseAtTheWatermarkWithoutASnapshot(boolean rocksDb) throws Exception {
        try (var harness = harness(1_000, 3, null, rocksDb)) {
            harness.processElement(input("H1", 0));
            harness.processElement(input("H2", 1));
            harness.processElement(input("H3", 2));
            harness.processElement(input("H1", 12 * MINUTE)); // a second span: H1 holds state until 32 minutes
            harness.processWatermark(20 * MINUTE + 2); // H2 and H3 close
            harness.processElement(input("H4", 21 * MINUTE));
            harness.processElement(input("H5", 21 * MINUTE));
            harness.processElement(input("H6", 21 * MINUTE)); // H1, H4 and H5 hold state: refused
            assertThat(passed(harness)).containsExactly("H1@0", "H2@1", "H3@2", "H1@720000", "H4@1260000",
                    "H5@1260000");
            assertThat(counted(harness, "correlate.over-cap.groups")).isEqualTo(1);
            assertThat(heldInASnapshot(harness)).isEqualTo(3);
            assertThat(harness.numEventTimeTimers()).as("the span ends of H1, H4 and H5").isEqualTo(3);
        }
    }

    /**
     * Random out-of-order inputs of 30 hosts with watermarks, against caps they keep reaching: the budgets on the heap
     * give exactly what they give in the keyed state on RocksDB, uninterrupted, through a snapshot the operator keeps
     * running after, and through a restore on the same backend or the other (a canonical savepoint).
     */
    @Test
    void theHeapGivesRocksDbsOutcomesThroughSnapshotsAndRestores() throws Exception {
        Random random = new Random(17);
        List<Object> stream = new ArrayList<>(); // inputs and watermarks (Long)
        long latest = 0;
        long watermark = Long.MIN_VALUE;
        for (int i = 0; i < 3_000; i++) {
            latest += random.nextInt(20_000);
            stream.add(input("H" + random.nextInt(30), Math.max(0, latest - random.nextInt(180_000))));
            if (random.nextInt(15) == 0 && latest - 120_000 > watermark) {
                watermark = latest - 120_000;
                stream.add(watermark);
            }
        }
        List<String> expected = outcomes(stream, true, -1, false, true);
        assertThat(expected).filteredOn(outcome -> outcome.contains("max-groups")).hasSizeGreaterThan(50);
        assertThat(expected).filteredOn(outcome -> outcome.contains("max-inputs-per-group")).hasSizeGreaterThan(50);
        assertThat(expected).filteredOn(outcome -> outcome.startsWith("passed")).hasSizeGreaterThan(500);
        assertThat(outcomes(stream, false, -1, false, false)).as("heap").isEqualTo(expected);
        for (int at : new int[]{700, 1_600, 2_500}) {
            assertThat(outcomes(stream, false, at, false, false)).as("heap, snapshot at " + at).isEqualTo(expected);
            for (boolean first : new boolean[]{false, true}) {
                for (boolean then : new boolean[]{false, true}) {
                    assertThat(outcomes(stream, first, at, true, then))
                            .as("RocksDB %s to %s, restored at %d", first, then, at).isEqualTo(expected);
                }
            }
        }
    }

    /** The inputs passed, then those over a cap with their reasons; a snapshot before element {@code at}, restored if asked. */
    private static List<String> outcomes(List<Object> stream, boolean rocksDb, int at, boolean restore,
                                         boolean rocksDbAfter) throws Exception {
        List<String> passed = new ArrayList<>();
        List<String> overCap = new ArrayList<>();
        var harness = harness(2, 12, null, rocksDb);
        long watermark = Long.MIN_VALUE;
        try {
            for (int i = 0; i < stream.size(); i++) {
                if (i == at) {
                    OperatorSubtaskState snapshot = rocksDb == rocksDbAfter ? harness.snapshot(1, 1)
                            : harness.snapshotWithLocalState(1, 1, SavepointType.savepoint(SavepointFormatType.CANONICAL))
                            .getJobManagerOwnedState();
                    if (restore) {
                        outcomes(harness, passed, overCap);
                        harness.close();
                        harness = harness(2, 12, snapshot, rocksDbAfter);
                        harness.processWatermark(watermark); // an operator's watermark is not in its snapshot
                    }
                }
                if (stream.get(i) instanceof Long mark) {
                    watermark = mark;
                    harness.processWatermark(mark);
                } else {
                    @SuppressWarnings("unchecked")
                    var input = (StreamRecord<CorrelationEvent>) stream.get(i);
                    harness.processElement(new StreamRecord<>(input.getValue(), input.getTimestamp()));
                }
            }
            harness.processWatermark(Long.MAX_VALUE);
            outcomes(harness, passed, overCap);
            assertThat(heldInASnapshot(harness)).as("nothing left").isZero();
            assertThat(harness.numEventTimeTimers()).as("no timer left").isZero();
        } finally {
            harness.close();
        }
        passed.addAll(overCap);
        return passed;
    }

    /** In the order they came out: "passed host@millis", and "over cap {record}: reason". */
    private static void outcomes(KeyedOneInputStreamOperatorTestHarness<String, CorrelationEvent, CorrelationEvent> harness,
                                 List<String> passed, List<String> overCap) {
        for (String input : passed(harness)) {
            passed.add("passed " + input);
        }
        for (LateEvent over : overCap(harness)) {
            overCap.add("over cap " + over.raw() + ": " + over.reason());
        }
    }
}
