package dev.sigmacep.bench;

import dev.sigmacep.correlate.GroupKey;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What many groups of one partition (one host) cost where a hash decides: all of a partition's {@link GroupKey}s
 * share its hash code. Two measures, each for groups of one host against as many groups of as many hosts: a lookup
 * in a Java {@code HashMap} (bins of equal hashes are trees for comparable keys), and a write of Flink's heap keyed
 * state (a {@code CopyOnWriteStateMap} chains equal hashes in a list). Prints one JSON line per measure. Not a target
 * figure (docs/benchmarks.md, "Round 17").
 * <pre>java -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" dev.sigmacep.bench.PartitionGroupsBenchmark</pre>
 */
public final class PartitionGroupsBenchmark {
    private PartitionGroupsBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        for (int round = 0; round < 2; round++) { // the first warms the JIT up
            for (int groups : new int[]{1_000, 5_000, 20_000}) {
                for (boolean oneHost : new boolean[]{true, false}) {
                    List<GroupKey> keys = keys(groups, oneHost);
                    double lookup = hashMapLookupNanos(keys);
                    double write = heapStateWriteNanos(keys);
                    if (round == 1) {
                        System.out.printf("{\"groups\":%d,\"hosts\":%d,\"hash_map_lookup_ns\":%.0f,"
                                + "\"heap_state_write_ns\":%.0f}%n", groups, oneHost ? 1 : groups, lookup, write);
                    }
                }
            }
        }
    }

    private static List<GroupKey> keys(int groups, boolean oneHost) {
        List<GroupKey> keys = new ArrayList<>(groups);
        for (int i = 0; i < groups; i++) {
            String host = oneHost ? "WKS-1" : "WKS-" + i;
            keys.add(new GroupKey(host, host + "\u001f{" + i + "}"));
        }
        return keys;
    }

    private static double hashMapLookupNanos(List<GroupKey> keys) {
        Map<GroupKey, Integer> map = new HashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            map.put(keys.get(i), i);
        }
        int rounds = Math.max(1, 2_000_000 / keys.size());
        long sum = 0;
        long started = System.nanoTime();
        for (int r = 0; r < rounds; r++) {
            for (GroupKey key : keys) {
                sum += map.get(new GroupKey(key.partition(), key.key()));
            }
        }
        long elapsed = System.nanoTime() - started;
        if (sum < 0) {
            throw new IllegalStateException("unreachable: " + sum);
        }
        return (double) elapsed / ((long) rounds * keys.size());
    }

    private static double heapStateWriteNanos(List<GroupKey> keys) throws Exception {
        try (var harness = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new Count()),
                (GroupKey key) -> key, TypeInformation.of(GroupKey.class))) {
            harness.open();
            long started = System.nanoTime();
            for (GroupKey key : keys) {
                harness.processElement(key, 0);
            }
            return (double) (System.nanoTime() - started) / keys.size();
        }
    }

    /** One value per key: a read and a write of the heap keyed state per element. */
    private static final class Count extends KeyedProcessFunction<GroupKey, GroupKey, Void> {
        private transient ValueState<Long> count;

        @Override
        public void open(OpenContext context) {
            count = getRuntimeContext().getState(new ValueStateDescriptor<>("count", Types.LONG));
        }

        @Override
        public void processElement(GroupKey key, Context context, Collector<Void> out) throws Exception {
            Long before = count.value();
            count.update(before == null ? 1 : before + 1);
        }
    }
}
