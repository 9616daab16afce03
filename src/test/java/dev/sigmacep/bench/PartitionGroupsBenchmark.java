package dev.sigmacep.bench;

import dev.sigmacep.alert.Alert;
import dev.sigmacep.correlate.CorrelationEvent;
import dev.sigmacep.correlate.CorrelationPlan;
import dev.sigmacep.correlate.EventTimeCepOperator;
import dev.sigmacep.correlate.GroupKey;
import dev.sigmacep.correlate.GroupKeys;
import dev.sigmacep.correlate.PlannedFromYaml;
import dev.sigmacep.correlate.SharedInput;
import dev.sigmacep.event.Event;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.runtime.state.storage.JobManagerCheckpointStorage;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * What many groups of one partition (one host) cost where a hash decides, for {@link GroupKey}s (each with a hash
 * code of its own within its partition's key group, {@link GroupKeys}) beside keys that hash as their partition, as
 * GroupKeys did before round 18. Two measures, each for groups of one host against as many groups of as many hosts:
 * a lookup in a Java {@code HashMap} (bins of equal hashes are trees for comparable keys), and a write of Flink's heap
 * keyed state (a {@code CopyOnWriteStateMap} chains equal hashes in a list). A third, end to end: a streaming sequence
 * ({@link EventTimeCepOperator}, heap backend) over two inputs per group, a snapshot every 5,000 inputs as a
 * checkpoint would take, as for a scanning host under {@code group-by: [Computer, DestinationIp]}. Prints one JSON
 * line per measure. Not a target figure (docs/benchmarks.md, "Round 17" and "Round 18").
 * <pre>java -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" dev.sigmacep.bench.PartitionGroupsBenchmark</pre>
 */
public final class PartitionGroupsBenchmark {
    private PartitionGroupsBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        for (int round = 0; round < 2; round++) { // the first warms the JIT up
            for (int groups : new int[]{1_000, 5_000, 20_000}) {
                for (boolean oneHost : new boolean[]{true, false}) {
                    measure(round == 1, "group_key", groups, oneHost, GroupKeys.ANY_POWER_OF_TWO::of,
                            GroupKeys.ANY_POWER_OF_TWO.type());
                    measure(round == 1, "partition_hashed", groups, oneHost, PartitionHashed::new,
                            TypeInformation.of(PartitionHashed.class));
                }
            }
        }
    }

    private static <K> void measure(boolean print, String keys, int groups, boolean oneHost,
                                    KeyMaker<K> key, TypeInformation<K> type) throws Exception {
        List<String[]> names = new ArrayList<>(groups);
        for (int i = 0; i < groups; i++) {
            String host = oneHost ? "WKS-1" : "WKS-" + i;
            names.add(new String[]{host, host + "\u001f{" + i + "}"});
        }
        double lookup = hashMapLookupNanos(names, key);
        double write = heapStateWriteNanos(names.stream().map(name -> key.apply(name[0], name[1])).toList(), type);
        double sequence = sequenceWithSnapshotsMillis(names, key, type);
        if (print) {
            System.out.printf("{\"keys\":\"%s\",\"groups\":%d,\"hosts\":%d,\"hash_map_lookup_ns\":%.0f,"
                    + "\"heap_state_write_ns\":%.0f,\"sequence_with_snapshots_ms\":%.0f}%n", keys, groups,
                    oneHost ? 1 : groups, lookup, write, sequence);
        }
    }

    private static final CorrelationPlan SCAN = PlannedFromYaml.plan("    type: temporal_ordered\n    rules: [a, b]\n"
            + "    group-by: [Computer, DestinationIp]\n    timespan: 1h\n");
    private static final TypeInformation<CorrelationEvent> INPUT = TypeInformation.of(CorrelationEvent.class);

    /** Each group's two inputs 10 ms apart from the last, the first of all groups then the second: n alerts. */
    private static <K> double sequenceWithSnapshotsMillis(List<String[]> names, KeyMaker<K> key,
                                                          TypeInformation<K> type) throws Exception {
        var operator = new EventTimeCepOperator(SCAN, INPUT.createSerializer(new SerializerConfigImpl()),
                new OutputTag<>("late", INPUT));
        try (var harness = new KeyedOneInputStreamOperatorTestHarness<>(operator,
                (CorrelationEvent input) -> key.apply(SharedInput.partition(input), input.key()), type, 128, 1, 0)) {
            harness.setStateBackend(new HashMapStateBackend());
            harness.setCheckpointStorage(new JobManagerCheckpointStorage(256 << 20));
            harness.open();
            long started = System.nanoTime();
            int inputs = 0;
            for (int step = 0; step < 2; step++) {
                for (String[] name : names) {
                    long millis = inputs * 10L;
                    Event event = new Event(Map.of("Computer", name[0], "DestinationIp", name[1]), name[0],
                            millis * 1000, "bench", "{}");
                    harness.processElement(new StreamRecord<>(new CorrelationEvent(List.of(name[0], name[1]),
                            1 << step, event), millis));
                    if (++inputs % 1_000 == 0) {
                        harness.processWatermark(millis - 1);
                    }
                    if (inputs % 5_000 == 0) {
                        harness.snapshot(inputs, inputs);
                    }
                }
            }
            harness.processWatermark(Long.MAX_VALUE);
            double millis = (System.nanoTime() - started) / 1e6;
            long alerts = harness.getOutput().stream()
                    .filter(output -> output instanceof StreamRecord<?> record && record.getValue() instanceof Alert)
                    .count();
            if (alerts != names.size()) {
                throw new IllegalStateException(alerts + " alerts for " + names.size() + " groups");
            }
            return millis;
        }
    }

    /** A lookup by a key made anew, as an operator makes one from each input. */
    private static <K> double hashMapLookupNanos(List<String[]> names, KeyMaker<K> key) {
        Map<K, Integer> map = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            map.put(key.apply(names.get(i)[0], names.get(i)[1]), i);
        }
        int rounds = Math.max(1, 2_000_000 / names.size());
        long sum = 0;
        long started = System.nanoTime();
        for (int r = 0; r < rounds; r++) {
            for (String[] name : names) {
                sum += map.get(key.apply(name[0], name[1]));
            }
        }
        long elapsed = System.nanoTime() - started;
        if (sum < 0) {
            throw new IllegalStateException("unreachable: " + sum);
        }
        return (double) elapsed / ((long) rounds * names.size());
    }

    private static <K> double heapStateWriteNanos(List<K> keys, TypeInformation<K> type) throws Exception {
        try (var harness = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new Count<K>()),
                (K key) -> key, type)) {
            harness.open();
            long started = System.nanoTime();
            for (K key : keys) {
                harness.processElement(key, 0);
            }
            return (double) (System.nanoTime() - started) / keys.size();
        }
    }

    /** One value per key: a read and a write of the heap keyed state per element. */
    private static final class Count<K> extends KeyedProcessFunction<K, K, Void> {
        private transient ValueState<Long> count;

        @Override
        public void open(OpenContext context) {
            count = getRuntimeContext().getState(new ValueStateDescriptor<>("count", Types.LONG));
        }

        @Override
        public void processElement(K key, Context context, Collector<Void> out) throws Exception {
            Long before = count.value();
            count.update(before == null ? 1 : before + 1);
        }
    }

    /** Makes a group's key from its partition and its text; serializable, as a key selector must be. */
    private interface KeyMaker<K> extends BiFunction<String, String, K>, java.io.Serializable {
    }

    /** A group's key hashing as its partition, ordered by key: GroupKey as it was in round 17. */
    public record PartitionHashed(String partition, String key) implements Comparable<PartitionHashed> {
        @Override
        public int hashCode() {
            return partition.hashCode();
        }

        @Override
        public int compareTo(PartitionHashed other) {
            int byKey = key.compareTo(other.key);
            return byKey != 0 ? byKey : partition.compareTo(other.partition);
        }
    }
}
