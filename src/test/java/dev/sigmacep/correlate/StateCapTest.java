package dev.sigmacep.correlate;

import dev.sigmacep.event.Event;
import dev.sigmacep.sigma.rule.CorrelationCondition;
import dev.sigmacep.sigma.rule.CorrelationRule;
import org.apache.flink.api.common.accumulators.Accumulator;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The caps on a correlation's state, exactly at the cap: what passes, what leaves with its reason, what is counted. */
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
            int maxInputsPerGroup, int maxGroups, OperatorSubtaskState restore) throws Exception {
        var harness = new KeyedOneInputStreamOperatorTestHarness<>(new StateCap(PLAN, maxInputsPerGroup, maxGroups),
                CorrelationEvent::key, Types.STRING);
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

    private static long counted(KeyedOneInputStreamOperatorTestHarness<?, ?, ?> harness, String name) {
        Accumulator<?, ?> counter = harness.getEnvironment().getAccumulatorRegistry().getUserMap().get(name);
        return counter == null ? 0 : (Long) counter.getLocalValue();
    }

    @Test
    void aGroupPassesItsCapPerTimespanAndNoMore() throws Exception {
        try (var harness = harness(3, 100, null)) {
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

    @Test
    void newGroupsOverTheSubtasksCapAreRefusedUntilAGroupsStateIsGone() throws Exception {
        try (var harness = harness(1_000, 2, null)) {
            harness.processElement(input("H1", 0));
            harness.processElement(input("H2", 5 * MINUTE));
            harness.processElement(input("H3", 6 * MINUTE)); // a third group: refused
            harness.processElement(input("H1", 7 * MINUTE)); // open groups go on
            assertThat(harness.numKeyedStateEntries()).isEqualTo(2);

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

    @Test
    void lateInputsPassUncountedForTheCorrelationsLateOutput() throws Exception {
        try (var harness = harness(1, 1, null)) {
            harness.processWatermark(MINUTE);
            harness.processElement(input("H1", MINUTE)); // at the watermark: late
            harness.processElement(input("H2", 0));
            harness.processElement(input("H3", 2 * MINUTE));
            assertThat(passed(harness)).containsExactly("H1@60000", "H2@0", "H3@120000");
            assertThat(overCap(harness)).isEmpty();
            assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
        }
    }

    @Test
    void stateIsGoneTwoTimespansAfterEachSpanOpened() throws Exception {
        try (var harness = harness(10, 10_000, null)) {
            for (int host = 0; host < 5_000; host++) {
                harness.processElement(input("HOST-" + host, host));
            }
            harness.processElement(input("HOST-0", 15 * MINUTE)); // HOST-0 opens a second span at 15 min
            assertThat(harness.numKeyedStateEntries()).isEqualTo(5_000);
            harness.processWatermark(21 * MINUTE);
            assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
            harness.processWatermark(35 * MINUTE);
            assertThat(harness.numKeyedStateEntries()).isZero();
            assertThat(harness.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void theCountOfGroupsHoldingStateSurvivesARestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (var harness = harness(2, 2, null)) {
            harness.processElement(input("H1", 0));
            harness.processElement(input("H1", 1));
            harness.processElement(input("H2", 2));
            snapshot = harness.snapshot(1, 3);
        }
        try (var harness = harness(2, 2, snapshot)) {
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
}
