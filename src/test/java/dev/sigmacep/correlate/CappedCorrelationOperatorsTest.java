package dev.sigmacep.correlate;

import dev.sigmacep.alert.Alert;
import dev.sigmacep.sigma.rule.CorrelationRule;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static dev.sigmacep.testing.Accumulators.counted;
import static dev.sigmacep.correlate.CorrelationOperatorTest.INPUTS;
import static dev.sigmacep.correlate.CorrelationOperatorTest.LATE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The correlation operators with their caps inside (BATCH): what is over a cap never reaches the correlation and
 * leaves with its reason, what is within it correlates as without caps, late input still goes to the late output,
 * and no state is left once the timespans have passed.
 */
class CappedCorrelationOperatorsTest {
    private static final long MINUTE = 60_000;

    private static KeyedOneInputStreamOperatorTestHarness<String, CorrelationEvent, Alert> harness(
            OneInputStreamOperator<CorrelationEvent, Alert> operator) throws Exception {
        var harness = new KeyedOneInputStreamOperatorTestHarness<>(operator, CorrelationEvent::key, Types.STRING);
        harness.open();
        return harness;
    }

    private static CappedCepOperator sequence(int maxInputsPerGroup, int maxGroups) {
        return new CappedCepOperator(
                CorrelationOperatorTest.plan(CorrelationRule.Type.TEMPORAL_ORDERED, 2, Duration.ofMinutes(10)),
                INPUTS, LATE,
                maxInputsPerGroup, maxGroups);
    }

    private static StreamRecord<CorrelationEvent> input(String host, int role, long millis) {
        return CorrelationOperatorTest.input(host, role, millis);
    }

    /** The alerts, as "host:first event ms-last event ms". */
    private static List<String> alerts(KeyedOneInputStreamOperatorTestHarness<String, CorrelationEvent, Alert> harness) {
        return CorrelationOperatorTest.alerts(harness).stream()
                .map(alert -> alert.host() + ":" + alert.firstEventMicros() / 1000 + "-" + alert.lastEventMicros() / 1000)
                .toList();
    }

    private static List<String> overCap(KeyedOneInputStreamOperatorTestHarness<String, CorrelationEvent, Alert> harness) {
        var records = harness.getSideOutput(StateCap.OVER_CAP);
        return records == null ? List.of() : records.stream().map(record -> record.getValue().reason()).toList();
    }


    @Test
    void aSequenceOverItsGroupsCapNeverReachesTheNfa() throws Exception {
        try (var harness = harness(sequence(2, 100))) {
            harness.processElement(input("H1", 0, 0));
            harness.processElement(input("H1", 0, MINUTE));
            harness.processElement(input("H1", 1, 2 * MINUTE)); // the third input of the span: over, so no match
            harness.processElement(input("H2", 0, 0));
            harness.processElement(input("H2", 1, 3 * MINUTE)); // another group, within its cap: a match
            harness.processElement(input("H1", 0, 10 * MINUTE)); // H1's next span
            harness.processElement(input("H1", 1, 11 * MINUTE));
            harness.processWatermark(15 * MINUTE);

            assertThat(alerts(harness)).containsExactlyInAnyOrder("H2:0-180000", "H1:600000-660000");
            assertThat(overCap(harness)).containsExactly("over cap: event time 1970-01-01T00:02:00.000Z not correlated"
                    + " by corr: its group already had 2 inputs in this timespan"
                    + " (correlation-state.max-inputs-per-group)");
            assertThat(counted(harness, "correlate.over-cap.inputs-per-group")).isEqualTo(1);

            harness.processWatermark(40 * MINUTE); // past two timespans of every span: neither CEP nor cap holds state
            assertThat(harness.numKeyedStateEntries()).isZero();
        }
    }

    @Test
    void aNewGroupOverTheSubtasksCapLeavesAndLateInputStillGoesToTheLateOutput() throws Exception {
        try (var harness = harness(sequence(100, 1))) {
            harness.processElement(input("H1", 0, 0));
            harness.processElement(input("H2", 0, MINUTE)); // a second group on a subtask capped at one
            harness.processElement(input("H1", 1, 2 * MINUTE));
            harness.processWatermark(5 * MINUTE);
            harness.processElement(input("H3", 1, 4 * MINUTE)); // behind the watermark: late, not counted

            assertThat(alerts(harness)).containsExactly("H1:0-120000");
            assertThat(overCap(harness)).containsExactly("over cap: event time 1970-01-01T00:01:00.000Z not correlated"
                    + " by corr: 1 groups of this correlation hold state on this subtask (correlation-state.max-groups)");
            assertThat(harness.getSideOutput(LATE)).extracting(record -> record.getValue().host()).containsExactly("H3");
            assertThat(counted(harness, "correlate.over-cap.groups")).isEqualTo(1);
        }
    }

    @Test
    void aCountDoesNotCountWhatIsOverItsGroupsCap() throws Exception {
        CorrelationPlan plan = AggregateCorrelationOperatorTest.plan(CorrelationRule.Type.EVENT_COUNT,
                Duration.ofMinutes(10), AggregateCorrelationOperatorTest.gte(2));
        for (int cap : new int[]{2, 1}) {
            try (var harness = harness(new CappedAggregateOperator(plan, LATE, cap, 100))) {
                harness.processElement(AggregateCorrelationOperatorTest.input("u", 0));
                harness.processElement(AggregateCorrelationOperatorTest.input("u", MINUTE));
                harness.processElement(AggregateCorrelationOperatorTest.input("u", 2 * MINUTE));
                harness.processWatermark(15 * MINUTE);
                if (cap == 2) {
                    assertThat(alerts(harness)).containsExactly("HOST-u:0-60000");
                    assertThat(overCap(harness)).hasSize(1);
                } else {
                    assertThat(alerts(harness)).isEmpty();
                    assertThat(overCap(harness)).hasSize(2).allMatch(reason -> reason.endsWith("its group already had"
                            + " 1 inputs in this timespan (correlation-state.max-inputs-per-group)"));
                }
                harness.processWatermark(90 * MINUTE);
                assertThat(harness.numKeyedStateEntries()).isZero();
            }
        }
    }
}
