package dev.sigmacep.correlate;

import dev.sigmacep.alert.Alert;
import dev.sigmacep.event.Event;
import dev.sigmacep.sigma.rule.CorrelationCondition;
import dev.sigmacep.sigma.rule.CorrelationRule;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CEP operator of one correlation, driven by hand: matches, the sliding timespan, the unordered type, and
 * that a partition's state is gone once its partial matches expire (no state left behind for hosts seen once).
 */
class CorrelationOperatorTest {
    private static final long MINUTE = 60_000;
    /** The serializer CEP buffers correlation inputs with, as the job configures it. */
    static final TypeSerializer<CorrelationEvent> INPUTS =
            TypeInformation.of(CorrelationEvent.class).createSerializer(new SerializerConfigImpl());
    static final OutputTag<CorrelationEvent> LATE = new OutputTag<>("late", TypeInformation.of(CorrelationEvent.class));

    static CorrelationPlan plan(CorrelationRule.Type type, int roles, Duration timespan) {
        return plan("corr-id", "corr", type, roles, timespan, List.of("Computer"));
    }

    /** A correlation over detection roles 0..roles-1, grouped by the given fields (each its own event field). */
    static CorrelationPlan plan(String id, String name, CorrelationRule.Type type, int roles, Duration timespan,
                                List<String> groupBy) {
        List<String> refs = new ArrayList<>();
        int[] ruleIndices = new int[roles];
        int[] noCorrelations = new int[roles];
        String[][] keyFields = new String[roles][];
        String[][] noValues = new String[roles][];
        for (int i = 0; i < roles; i++) {
            refs.add("r" + i);
            ruleIndices[i] = i;
            noCorrelations[i] = -1;
            keyFields[i] = groupBy.toArray(String[]::new);
            noValues[i] = new String[0];
        }
        CorrelationRule rule = new CorrelationRule(id, name, "Correlation", "high", List.of("attack.t1036"),
                name + ".yml", type, refs, groupBy, timespan, Map.of(), false, CorrelationCondition.ALL_RULES, null, List.of(), List.of(), Map.of());
        return new CorrelationPlan(rule, id, ruleIndices, noCorrelations, keyFields, noValues, roles, StepJoins.NONE);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, CorrelationEvent, Alert> harness(CorrelationPlan plan)
            throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, CorrelationEvent, Alert> harness =
                new KeyedOneInputStreamOperatorTestHarness<>(new CorrelationCepOperator(plan, INPUTS, null),
                        CorrelationEvent::key, Types.STRING);
        harness.open();
        return harness;
    }

    static StreamRecord<CorrelationEvent> input(String host, int role, long millis) {
        String raw = "{\"host\":\"" + host + "\",\"role\":" + role + ",\"t\":" + millis + "}";
        Event event = new Event(Map.of("Computer", host), host, millis * 1000, "test", raw);
        return new StreamRecord<>(new CorrelationEvent(List.of(host), 1 << role, event), millis);
    }

    /** An alert as the tests compare them: rule, emission time, group, first and last event time, evidence. */
    static String describe(StreamRecord<Alert> record) {
        Alert alert = record.getValue();
        List<String> evidence = alert.eventsUtf8().stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList();
        return alert.ruleId() + "@" + record.getTimestamp() + " " + alert.groupBy() + " " + alert.firstEventMicros()
                + "-" + alert.lastEventMicros() + " " + evidence;
    }

    static List<Alert> alerts(KeyedOneInputStreamOperatorTestHarness<String, CorrelationEvent, Alert> harness) {
        List<Alert> alerts = new ArrayList<>();
        for (Object output : harness.getOutput()) {
            if (output instanceof StreamRecord<?> record) {
                alerts.add((Alert) record.getValue());
            }
        }
        return alerts;
    }

    @Test
    void orderedMatchEmitsOneAlertWithEvidenceInOrder() throws Exception {
        try (var harness = harness(plan(CorrelationRule.Type.TEMPORAL_ORDERED, 3, Duration.ofMinutes(30)))) {
            harness.processElement(input("H1", 0, 0));
            harness.processElement(input("H1", 1, MINUTE));
            harness.processElement(input("H1", 1, 2 * MINUTE)); // a second connection: still one alert
            harness.processElement(input("H1", 2, 5 * MINUTE));
            harness.processWatermark(10 * MINUTE);

            List<Alert> alerts = alerts(harness);
            assertThat(alerts).hasSize(1);
            Alert alert = alerts.get(0);
            assertThat(alert.ruleId()).isEqualTo("corr-id");
            assertThat(alert.host()).isEqualTo("H1");
            assertThat(alert.groupBy()).containsExactly(Map.entry("Computer", "H1"));
            assertThat(alert.events()).containsExactly(
                    "{\"host\":\"H1\",\"role\":0,\"t\":0}",
                    "{\"host\":\"H1\",\"role\":1,\"t\":60000}",
                    "{\"host\":\"H1\",\"role\":2,\"t\":300000}");
            assertThat(alert.firstEventMicros()).isZero();
            assertThat(alert.lastEventMicros()).isEqualTo(5 * MINUTE * 1000);
        }
    }

    @Test
    void timespanSlidesFromTheFirstEvent() throws Exception {
        try (var harness = harness(plan(CorrelationRule.Type.TEMPORAL_ORDERED, 2, Duration.ofMinutes(1)))) {
            // first start too early for the connection; the second start is within a minute of it
            harness.processElement(input("H1", 0, 0));
            harness.processElement(input("H1", 0, 30_000));
            harness.processElement(input("H1", 1, 89_000));
            harness.processWatermark(5 * MINUTE);
            List<Alert> alerts = alerts(harness);
            assertThat(alerts).hasSize(1);
            assertThat(alerts.get(0).firstEventMicros()).isEqualTo(30_000_000L);
        }
    }

    /**
     * Where engines that check order only between the first two steps, or key only the first step, go wrong: the
     * third step before the second is no match, and a step of another group never completes this group's match.
     */
    @Test
    void orderHoldsPastTheSecondStepAndEveryStepSharesTheGroup() throws Exception {
        try (var harness = harness(plan(CorrelationRule.Type.TEMPORAL_ORDERED, 4, Duration.ofMinutes(30)))) {
            harness.processElement(input("H1", 0, 0));
            harness.processElement(input("H1", 1, 1000));
            harness.processElement(input("H1", 3, 2000)); // the fourth step before the third
            harness.processElement(input("H1", 2, 3000));
            harness.processElement(input("H2", 0, 0));
            harness.processElement(input("H2", 1, 1000));
            harness.processElement(input("H3", 2, 2000)); // another host's third step
            harness.processElement(input("H2", 3, 3000));
            harness.processWatermark(10 * MINUTE);
            assertThat(alerts(harness)).isEmpty();

            harness.processElement(input("H1", 3, 11 * MINUTE)); // now in order on H1: 0, 1, 2 (3 s), 3
            harness.processWatermark(20 * MINUTE);
            List<Alert> alerts = alerts(harness);
            assertThat(alerts).extracting(Alert::host).containsExactly("H1");
            assertThat(alerts.get(0).events()).hasSize(4).last().asString().contains("\"t\":660000");
        }
    }

    @Test
    void unorderedNeedsEveryRuleInAnyOrder() throws Exception {
        try (var harness = harness(plan(CorrelationRule.Type.TEMPORAL, 3, Duration.ofMinutes(10)))) {
            harness.processElement(input("H1", 2, 0));
            harness.processElement(input("H1", 2, 1000)); // a repeat of a seen rule adds nothing
            harness.processElement(input("H1", 0, 2000));
            harness.processElement(input("H2", 0, 0));
            harness.processElement(input("H2", 1, 1000)); // H2 never sees rule 2
            harness.processElement(input("H1", 1, 3000));
            harness.processWatermark(30 * MINUTE);

            List<Alert> alerts = alerts(harness);
            assertThat(alerts).extracting(Alert::host).containsExactly("H1");
            assertThat(alerts.get(0).events()).containsExactly(
                    "{\"host\":\"H1\",\"role\":2,\"t\":0}",
                    "{\"host\":\"H1\",\"role\":0,\"t\":2000}",
                    "{\"host\":\"H1\",\"role\":1,\"t\":3000}");
        }
    }

    /** State entries left once every partial match of {@code hosts} hosts seen once has expired. */
    private static int stateLeftAfterExpiry(int hosts) throws Exception {
        try (var harness = harness(plan(CorrelationRule.Type.TEMPORAL_ORDERED, 3, Duration.ofMinutes(30)))) {
            for (int host = 0; host < hosts; host++) {
                harness.processElement(input("HOST-" + host, 0, host * 10L));
            }
            harness.processWatermark(MINUTE * 2);
            assertThat(harness.numKeyedStateEntries()).isGreaterThanOrEqualTo(hosts);

            harness.processWatermark(MINUTE * 40);
            assertThat(alerts(harness)).isEmpty();
            assertThat(harness.numEventTimeTimers()).isZero();
            return harness.numKeyedStateEntries();
        }
    }

    @Test
    void stateOfHostsSeenOnceIsGoneOnceTheirPartialMatchesExpire() throws Exception {
        // CEP keeps a few entries of the last key it touched; nothing per host remains (cf. FLINK-23314)
        int afterTen = stateLeftAfterExpiry(10);
        assertThat(afterTen).isLessThanOrEqualTo(3);
        assertThat(stateLeftAfterExpiry(5_000)).isEqualTo(afterTen);
    }
}
