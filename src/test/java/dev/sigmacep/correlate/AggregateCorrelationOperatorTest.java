package dev.sigmacep.correlate;

import dev.sigmacep.alert.Alert;
import dev.sigmacep.event.Event;
import dev.sigmacep.sigma.rule.CorrelationCondition;
import dev.sigmacep.sigma.rule.CorrelationCondition.Comparison;
import dev.sigmacep.sigma.rule.CorrelationCondition.Operator;
import dev.sigmacep.sigma.rule.CorrelationRule;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;

import static dev.sigmacep.correlate.CorrelationOperatorTest.LATE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The counting and value correlations' operator, driven by hand: sliding spans without buckets, one alert per
 * burst, spans checked at close for upper bounds, every measure, out-of-order input, late input, and state that is
 * gone once a group's timespan has passed.
 */
class AggregateCorrelationOperatorTest {
    private static final long SECOND = 1000;
    private static final long MINUTE = 60 * SECOND;

    private static CorrelationPlan plan(CorrelationRule.Type type, Duration timespan, double percentile,
                                       Comparison... comparisons) {
        boolean valued = type.needsField();
        CorrelationCondition condition = new CorrelationCondition(List.of(comparisons),
                valued ? List.of("Value") : List.of(), percentile);
        CorrelationRule rule = new CorrelationRule("count-id", "count", "Counting", "medium", List.of("attack.t1110"),
                "count.yml", type, List.of("r0"), List.of("User"), timespan, Map.of(), false, condition, null, List.of(), List.of(), Map.of());
        return new CorrelationPlan(rule, "count-id", new int[]{0}, new int[]{-1}, new String[][]{{"User"}},
                new String[][]{valued ? new String[]{"Value"} : new String[0]}, 0, StepJoins.NONE);
    }

    static CorrelationPlan plan(CorrelationRule.Type type, Duration timespan, Comparison... comparisons) {
        return plan(type, timespan, 50, comparisons);
    }

    static Comparison gte(double value) {
        return new Comparison(Operator.GTE, value);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, CorrelationEvent, Alert> harness(CorrelationPlan plan)
            throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, CorrelationEvent, Alert> harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new AggregateCorrelationFunction(plan, LATE)),
                        CorrelationEvent::key, Types.STRING);
        harness.open();
        return harness;
    }

    private static StreamRecord<CorrelationEvent> input(String user, long millis, String value) {
        String raw = "{\"user\":\"" + user + "\",\"t\":" + millis + ",\"v\":\"" + value + "\"}";
        Event event = new Event(Map.of("User", user), "HOST-" + user, millis * 1000, "test", raw);
        return new StreamRecord<>(new CorrelationEvent(List.of(user), 1, List.of(value), event), millis);
    }

    static StreamRecord<CorrelationEvent> input(String user, long millis) {
        return input(user, millis, "-");
    }

    private static List<Alert> alerts(KeyedOneInputStreamOperatorTestHarness<String, CorrelationEvent, Alert> harness) {
        List<Alert> alerts = new ArrayList<>();
        for (Object output : harness.getOutput()) {
            if (output instanceof StreamRecord<?> record) {
                alerts.add((Alert) record.getValue());
            }
        }
        return alerts;
    }

    @Test
    void aBurstAcrossAnyClockBoundaryFiresOnceWithTheEventThatCompletedIt() throws Exception {
        try (var harness = harness(plan(CorrelationRule.Type.EVENT_COUNT, Duration.ofMinutes(1), gte(3)))) {
            // 11:59:40, 11:59:50 and 12:00:10 straddle a minute boundary: within one minute of each other
            long base = 11 * 60 * MINUTE + 59 * MINUTE;
            harness.processElement(input("bob", base + 40 * SECOND));
            harness.processElement(input("bob", base + 50 * SECOND));
            harness.processElement(input("bob", base + 70 * SECOND));
            harness.processElement(input("bob", base + 80 * SECOND)); // after the alert: starts afresh
            harness.processWatermark(base + 10 * MINUTE);

            List<Alert> alerts = alerts(harness);
            assertThat(alerts).hasSize(1);
            Alert alert = alerts.get(0);
            assertThat(alert.ruleId()).isEqualTo("count-id");
            assertThat(alert.correlationType()).isEqualTo("event_count");
            assertThat(alert.correlationValue()).isEqualTo(3.0);
            assertThat(alert.groupBy()).containsExactly(Map.entry("User", "bob"));
            assertThat(alert.host()).isEqualTo("HOST-bob");
            assertThat(alert.firstEventMicros()).isEqualTo((base + 40 * SECOND) * 1000);
            assertThat(alert.lastEventMicros()).isEqualTo((base + 70 * SECOND) * 1000);
            assertThat(alert.events()).containsExactly(
                    "{\"user\":\"bob\",\"t\":" + (base + 70 * SECOND) + ",\"v\":\"-\"}");
        }
    }

    @Test
    void eventsExactlyOneTimespanApartAreNotInOneSpan() throws Exception {
        try (var harness = harness(plan(CorrelationRule.Type.EVENT_COUNT, Duration.ofMinutes(1), gte(2)))) {
            harness.processElement(input("bob", 0));
            harness.processElement(input("bob", MINUTE)); // exactly the timespan later: the first one has left
            harness.processElement(input("eve", 0));
            harness.processElement(input("eve", MINUTE - 1));
            harness.processWatermark(10 * MINUTE);
            assertThat(alerts(harness)).extracting(a -> a.groupBy().get("User")).containsExactly("eve");
        }
    }

    @Test
    void shuffledInputWithinTheBoundGivesTheAlertsOfOrderedInput() throws Exception {
        List<StreamRecord<CorrelationEvent>> ordered = new ArrayList<>();
        Random random = new Random(7);
        long time = 0;
        for (int i = 0; i < 400; i++) {
            time += random.nextInt(20) * SECOND; // bursts and gaps around the 1-minute span
            ordered.add(input("user-" + random.nextInt(4), time, String.valueOf(random.nextInt(5))));
        }
        for (CorrelationRule.Type type : List.of(CorrelationRule.Type.EVENT_COUNT, CorrelationRule.Type.VALUE_COUNT,
                CorrelationRule.Type.VALUE_SUM, CorrelationRule.Type.VALUE_AVG, CorrelationRule.Type.VALUE_PERCENTILE)) {
            CorrelationPlan plan = plan(type, Duration.ofMinutes(1), 90, gte(type == CorrelationRule.Type.VALUE_SUM ? 12 : 3));
            List<Alert> inOrder = run(plan, ordered);
            List<StreamRecord<CorrelationEvent>> shuffled = new ArrayList<>(ordered);
            Collections.shuffle(shuffled, new Random(11));
            assertThat(inOrder).as(type.toString()).isNotEmpty();
            assertThat(run(plan, shuffled)).as(type.toString()).containsExactlyInAnyOrderElementsOf(inOrder);
        }
    }

    private static List<Alert> run(CorrelationPlan plan, List<StreamRecord<CorrelationEvent>> inputs) throws Exception {
        try (var harness = harness(plan)) {
            for (StreamRecord<CorrelationEvent> input : inputs) {
                harness.processElement(new StreamRecord<>(input.getValue(), input.getTimestamp()));
            }
            harness.processWatermark(Long.MAX_VALUE);
            return alerts(harness);
        }
    }

    @Test
    void anUpperBoundIsCheckedWhenTheSpanCloses() throws Exception {
        CorrelationPlan fewer = plan(CorrelationRule.Type.EVENT_COUNT, Duration.ofMinutes(10),
                new Comparison(Operator.LT, 3));
        try (var harness = harness(fewer)) {
            harness.processElement(input("quiet", 0));
            harness.processElement(input("quiet", MINUTE));
            for (int i = 0; i < 5; i++) {
                harness.processElement(input("busy", i * MINUTE));
            }
            harness.processWatermark(9 * MINUTE);
            assertThat(alerts(harness)).isEmpty(); // no span has closed yet
            harness.processWatermark(10 * MINUTE);
            List<Alert> alerts = alerts(harness);
            assertThat(alerts).extracting(a -> a.groupBy().get("User")).containsExactly("quiet");
            assertThat(alerts.get(0).correlationValue()).isEqualTo(2.0);
            assertThat(alerts.get(0).firstEventMicros()).isZero();
            assertThat(alerts.get(0).lastEventMicros()).isEqualTo(MINUTE * 1000);
        }
    }

    @Test
    void aRangeNeedsTheWholeSpan() throws Exception {
        CorrelationPlan range = plan(CorrelationRule.Type.EVENT_COUNT, Duration.ofMinutes(5),
                new Comparison(Operator.GT, 2), new Comparison(Operator.LTE, 4));
        try (var harness = harness(range)) {
            for (int i = 0; i < 3; i++) harness.processElement(input("three", i * SECOND));
            for (int i = 0; i < 6; i++) harness.processElement(input("six", i * SECOND));
            // a new span opens with the first event after the last one closed
            harness.processElement(input("three", 5 * MINUTE));
            harness.processWatermark(20 * MINUTE);
            assertThat(alerts(harness)).extracting(a -> a.groupBy().get("User") + " " + a.correlationValue())
                    .containsExactly("three 3.0");
        }
    }

    @Test
    void everyMeasure() throws Exception {
        List<StreamRecord<CorrelationEvent>> values = List.of(input("u", 0, "10"), input("u", SECOND, "20"),
                input("u", 2 * SECOND, "20"), input("u", 3 * SECOND, "not a number"), input("u", 4 * SECOND, "50"));
        Duration span = Duration.ofMinutes(1);
        Comparison lt = new Comparison(Operator.LT, 1e9); // checked at close: the measure over all five events
        assertThat(measure(plan(CorrelationRule.Type.EVENT_COUNT, span, lt), values)).isEqualTo(5.0);
        assertThat(measure(plan(CorrelationRule.Type.VALUE_COUNT, span, lt), values)).isEqualTo(4.0);
        assertThat(measure(plan(CorrelationRule.Type.VALUE_SUM, span, lt), values)).isEqualTo(100.0);
        assertThat(measure(plan(CorrelationRule.Type.VALUE_AVG, span, lt), values)).isEqualTo(25.0);
        assertThat(measure(plan(CorrelationRule.Type.VALUE_MEDIAN, span, lt), values)).isEqualTo(20.0);
        assertThat(measure(plan(CorrelationRule.Type.VALUE_PERCENTILE, span, 90, lt), values)).isCloseTo(41.0,
                org.assertj.core.data.Offset.offset(1e-9)); // 20 + 0.7 × (50 − 20), between ranks 3 and 4
    }

    private static double measure(CorrelationPlan plan, List<StreamRecord<CorrelationEvent>> inputs) throws Exception {
        List<Alert> alerts = run(plan, inputs);
        assertThat(alerts).hasSize(1);
        return alerts.get(0).correlationValue();
    }

    @Test
    void valueCountCountsDistinctValuesInTheSlidingSpan() throws Exception {
        CorrelationPlan distinct = plan(CorrelationRule.Type.VALUE_COUNT, Duration.ofMinutes(1), gte(3));
        try (var harness = harness(distinct)) {
            harness.processElement(input("u", 0, "a"));
            harness.processElement(input("u", 10 * SECOND, "b"));
            harness.processElement(input("u", 20 * SECOND, "a")); // a again: still two values, a now at 20 s
            harness.processElement(input("u", 75 * SECOND, "c")); // b (10 s) has left, a (20 s) has not: a, c
            harness.processElement(input("u", 76 * SECOND, "d")); // a, c, d
            harness.processWatermark(10 * MINUTE);
            List<Alert> alerts = alerts(harness);
            assertThat(alerts).hasSize(1);
            assertThat(alerts.get(0).firstEventMicros()).isEqualTo(20 * SECOND * 1000);
            assertThat(alerts.get(0).lastEventMicros()).isEqualTo(76 * SECOND * 1000);
        }
    }

    @Test
    void lateInputGoesToTheSideOutput() throws Exception {
        try (var harness = harness(plan(CorrelationRule.Type.EVENT_COUNT, Duration.ofMinutes(1), gte(2)))) {
            harness.processElement(input("u", 10 * SECOND));
            harness.processWatermark(20 * SECOND);
            harness.processElement(input("u", 15 * SECOND));
            ConcurrentLinkedQueue<StreamRecord<CorrelationEvent>> late = harness.getSideOutput(LATE);
            assertThat(late).extracting(record -> record.getValue().timeMicros()).containsExactly(15 * SECOND * 1000);
            harness.processWatermark(5 * MINUTE);
            assertThat(alerts(harness)).isEmpty();
        }
    }

    @Test
    void stateOfAGroupIsGoneOnceItsTimespanHasPassed() throws Exception {
        for (CorrelationPlan plan : List.of(plan(CorrelationRule.Type.VALUE_SUM, Duration.ofMinutes(30), gte(1e9)),
                plan(CorrelationRule.Type.EVENT_COUNT, Duration.ofMinutes(30), new Comparison(Operator.EQ, 100)))) {
            try (var harness = harness(plan)) {
                for (int user = 0; user < 2_000; user++) {
                    harness.processElement(input("user-" + user, user * 10L, "5"));
                    harness.processElement(input("user-" + user, user * 10L + MINUTE, "5"));
                }
                harness.processWatermark(2 * MINUTE);
                assertThat(harness.numKeyedStateEntries()).isGreaterThanOrEqualTo(2_000);
                harness.processWatermark(40 * MINUTE);
                assertThat(alerts(harness)).isEmpty();
                assertThat(harness.numKeyedStateEntries()).isZero();
                assertThat(harness.numEventTimeTimers()).isZero();
            }
        }
    }

    @Test
    void stateSurvivesASnapshotAndRestore() throws Exception {
        CorrelationPlan plan = plan(CorrelationRule.Type.VALUE_COUNT, Duration.ofMinutes(5), gte(3));
        org.apache.flink.runtime.checkpoint.OperatorSubtaskState snapshot;
        try (var harness = harness(plan)) {
            harness.processElement(input("u", 0, "a"));
            harness.processElement(input("u", SECOND, "b"));
            harness.processWatermark(30 * SECOND);
            harness.processElement(input("u", 40 * SECOND, "c")); // still waiting for the watermark
            snapshot = harness.snapshot(1, 1);
        }
        KeyedOneInputStreamOperatorTestHarness<String, CorrelationEvent, Alert> restored =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new AggregateCorrelationFunction(plan, LATE)),
                        CorrelationEvent::key, Types.STRING);
        try (restored) {
            restored.initializeState(snapshot);
            restored.open();
            restored.processWatermark(MINUTE);
            assertThat(alerts(restored)).extracting(Alert::correlationValue).containsExactly(3.0);
        }
    }
}
