package dev.sigmacep.correlate;

import dev.sigmacep.alert.Alert;
import dev.sigmacep.event.Event;
import dev.sigmacep.sigma.rule.CorrelationRule;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.cep.nfa.sharedbuffer.SharedBuffer;
import org.apache.flink.cep.nfa.sharedbuffer.UncachedSharedBuffer;
import org.apache.flink.cep.operator.CepOperator;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static dev.sigmacep.correlate.CorrelationOperatorTest.INPUTS;
import static dev.sigmacep.correlate.CorrelationOperatorTest.LATE;
import static dev.sigmacep.correlate.CorrelationOperatorTest.describe;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The streaming CEP operator of a sequence correlation: on the heap its shared buffer goes without Flink's caches,
 * and finds exactly what the same operator finds with Flink's own cached buffer (on RocksDB, which keeps it), on
 * out-of-order input with watermarks and late inputs, and across a snapshot and restore.
 */
class CorrelationCepOperatorTest {
    private static final long MINUTE = 60_000;
    private static final List<CorrelationPlan> PLANS = List.of(
            CorrelationOperatorTest.plan("triple", "triple", CorrelationRule.Type.TEMPORAL_ORDERED, 3,
                    Duration.ofMinutes(30), List.of("Computer")),
            CorrelationOperatorTest.plan("any-two", "any-two", CorrelationRule.Type.TEMPORAL, 2,
                    Duration.ofMinutes(5), List.of("Computer")));

    private static KeyedOneInputStreamOperatorTestHarness<String, CorrelationEvent, Alert> harness(
            CorrelationPlan plan, StateBackend backend, OperatorSubtaskState restored) throws Exception {
        var harness = new KeyedOneInputStreamOperatorTestHarness<>(new CorrelationCepOperator(plan, INPUTS, LATE),
                CorrelationEvent::key, Types.STRING);
        if (backend != null) {
            harness.setStateBackend(backend);
        }
        if (restored != null) {
            harness.initializeState(restored);
        }
        harness.open();
        return harness;
    }

    private static Object buffer(KeyedOneInputStreamOperatorTestHarness<String, CorrelationEvent, Alert> harness)
            throws Exception {
        Field field = CepOperator.class.getDeclaredField("partialMatches");
        field.setAccessible(true);
        return field.get(harness.getOneInputOperator());
    }

    @Test
    void onTheHeapTheSharedBufferGoesWithoutFlinksCaches() throws Exception {
        try (var onHeap = harness(PLANS.get(0), null, null)) {
            assertThat(buffer(onHeap)).isInstanceOf(UncachedSharedBuffer.class);
        }
        try (var onRocksDb = harness(PLANS.get(0), new EmbeddedRocksDBStateBackend(), null)) {
            assertThat(buffer(onRocksDb)).isExactlyInstanceOf(SharedBuffer.class);
        }
    }

    /** Inputs in arrival order: up to 3 minutes out of order, a watermark every 20 inputs 4 minutes behind. */
    static List<Object> stream(long seed) {
        Random random = new Random(seed);
        List<Object> stream = new ArrayList<>();
        long now = 0;
        for (int i = 0; i < 1_200; i++) {
            now += random.nextInt(40) * 1_000L;
            long millis = Math.max(0, now - random.nextInt(180) * 1_000L);
            if (random.nextInt(50) == 0) {
                millis = Math.max(0, now - 10 * MINUTE); // behind the watermark: late
            }
            String host = "H" + random.nextInt(6);
            String raw = "{\"host\":\"" + host + "\",\"t\":" + millis + ",\"n\":" + i + "}";
            Event event = new Event(Map.of("Computer", host), host, millis * 1000, "test", raw);
            stream.add(new StreamRecord<>(new CorrelationEvent(List.of(host), 1 << random.nextInt(3), event), millis));
            if (i % 20 == 19) {
                stream.add(now - 4 * MINUTE);
            }
        }
        return stream;
    }

    static void feed(KeyedOneInputStreamOperatorTestHarness<?, CorrelationEvent, Alert> harness,
                             CorrelationPlan plan, List<Object> stream) throws Exception {
        for (Object item : stream) {
            if (item instanceof Long watermark) {
                harness.processWatermark(watermark);
            } else {
                @SuppressWarnings("unchecked")
                StreamRecord<CorrelationEvent> input = (StreamRecord<CorrelationEvent>) item;
                if (input.getValue().roles() < 1 << plan.roleCount()) {
                    harness.processElement(input);
                }
            }
        }
    }

    static List<String> outputs(KeyedOneInputStreamOperatorTestHarness<?, CorrelationEvent, Alert> harness) {
        List<String> outputs = new ArrayList<>();
        for (Object output : harness.getOutput()) {
            if (output instanceof StreamRecord<?> record && record.getValue() instanceof Alert) {
                @SuppressWarnings("unchecked")
                StreamRecord<Alert> alert = (StreamRecord<Alert>) record;
                outputs.add(describe(alert));
            }
        }
        var late = harness.getSideOutput(LATE);
        if (late != null) {
            late.forEach(record -> outputs.add("late " + record.getValue().records().stream()
                    .map(bytes -> new String(bytes, StandardCharsets.UTF_8)).toList()));
        }
        return outputs;
    }

    @Test
    void findsWhatFlinksCachedBufferFinds() throws Exception {
        for (CorrelationPlan plan : PLANS) {
            for (long seed = 1; seed <= 3; seed++) {
                List<Object> stream = stream(seed);
                List<String> uncached;
                try (var onHeap = harness(plan, null, null)) {
                    feed(onHeap, plan, stream);
                    onHeap.processWatermark(Long.MAX_VALUE);
                    uncached = outputs(onHeap);
                }
                List<String> cached;
                try (var onRocksDb = harness(plan, new EmbeddedRocksDBStateBackend(), null)) {
                    feed(onRocksDb, plan, stream);
                    onRocksDb.processWatermark(Long.MAX_VALUE);
                    cached = outputs(onRocksDb);
                }
                // within one watermark the two backends fire their keys' timers in different orders
                assertThat(uncached).as("%s, seed %d", plan.label(), seed).containsExactlyInAnyOrderElementsOf(cached)
                        .anyMatch(output -> output.startsWith(plan.rule().id() + "@"))
                        .anyMatch(output -> output.startsWith("late "));
            }
        }
    }

    @Test
    void carriesItsPartialMatchesThroughASnapshot() throws Exception {
        CorrelationPlan plan = PLANS.get(0);
        List<Object> stream = stream(7);
        List<String> uninterrupted;
        try (var whole = harness(plan, null, null)) {
            feed(whole, plan, stream);
            whole.processWatermark(Long.MAX_VALUE);
            uninterrupted = outputs(whole);
        }
        int half = stream.size() / 2;
        List<String> resumed = new ArrayList<>();
        OperatorSubtaskState snapshot;
        try (var first = harness(plan, null, null)) {
            feed(first, plan, stream.subList(0, half));
            resumed.addAll(outputs(first));
            snapshot = first.snapshot(1, 1);
        }
        try (var second = harness(plan, null, snapshot)) {
            assertThat(buffer(second)).isInstanceOf(UncachedSharedBuffer.class);
            feed(second, plan, stream.subList(half, stream.size()));
            second.processWatermark(Long.MAX_VALUE);
            resumed.addAll(outputs(second));
        }
        assertThat(resumed).containsExactlyInAnyOrderElementsOf(uninterrupted);
        assertThat(uninterrupted).anyMatch(output -> output.startsWith("triple@"));
    }
}
