package dev.sigmacep.correlate;

import dev.sigmacep.serialize.SerializerTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class GroupKeyTest {
    /** What lets a sequence's operators keep per-group state behind an exchange keyed by the partition value. */
    @Test
    void aGroupFallsInItsPartitionsKeyGroupAndSubtask() {
        Random random = new Random(5);
        for (int i = 0; i < 10_000; i++) {
            String partition = "WKS-" + random.nextInt(1_000_000) + (random.nextBoolean() ? ".corp.example" : "");
            GroupKey group = new GroupKey(partition, partition + "\u001f{" + random.nextLong() + "}");
            for (int maxParallelism : new int[]{128, 4096, 32768}) {
                assertThat(KeyGroupRangeAssignment.assignToKeyGroup(group, maxParallelism))
                        .isEqualTo(KeyGroupRangeAssignment.assignToKeyGroup(partition, maxParallelism));
                for (int parallelism : new int[]{2, 3, 16}) {
                    assertThat(KeyGroupRangeAssignment.assignKeyToParallelOperator(group, maxParallelism, parallelism))
                            .isEqualTo(KeyGroupRangeAssignment.assignKeyToParallelOperator(partition, maxParallelism,
                                    parallelism));
                }
            }
        }
    }

    @Test
    void groupsAreEqualByKeyAndHashByPartition() {
        GroupKey a = new GroupKey("host", "host|1");
        assertThat(a).isEqualTo(new GroupKey("host", "host|1")).hasSameHashCodeAs("host")
                .isNotEqualTo(new GroupKey("host", "host|2")).isNotEqualTo("host|1");
        assertThat(new GroupKey("host", "host|2").hashCode()).isEqualTo(a.hashCode());
        assertThat(a).hasToString("host|1");
    }

    /** What lets a hash map find one of a partition's many groups, which share a hash code, without a linear walk. */
    @Test
    void groupsAreOrderedConsistentlyWithEquals() {
        GroupKey a = new GroupKey("host", "host|1");
        assertThat(a.compareTo(new GroupKey("host", "host|1"))).isZero();
        assertThat(a.compareTo(new GroupKey("host", "host|2"))).isNegative();
        assertThat(new GroupKey("host", "host|2").compareTo(a)).isPositive();
        assertThat(new GroupKey("a", "x").compareTo(new GroupKey("b", "x"))).isNegative(); // never 0 unless equal
        Map<GroupKey, Integer> groups = new HashMap<>();
        for (int i = 0; i < 1_000; i++) {
            groups.put(new GroupKey("host", "host|" + i), i);
        }
        for (int i = 0; i < 1_000; i++) {
            assertThat(groups.get(new GroupKey("host", "host|" + i))).isEqualTo(i);
        }
        assertThat(groups.get(new GroupKey("host", "host|1000"))).isNull();
    }

    @Test
    void itsOwnSerializerWritesAndReadsIt() throws Exception {
        TypeInformation<GroupKey> type = TypeInformation.of(GroupKey.class);
        assertThat(type).isInstanceOf(SerializerTypeInfo.class); // never Kryo
        var serializer = type.createSerializer(new org.apache.flink.api.common.serialization.SerializerConfigImpl());
        for (GroupKey key : List.of(new GroupKey("h", "h"), new GroupKey("ÿ主机🙂", "ÿ主机🙂\u0000x"), new GroupKey("", ""))) {
            DataOutputSerializer out = new DataOutputSerializer(64);
            serializer.serialize(key, out);
            GroupKey back = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
            assertThat(back).isEqualTo(key);
            assertThat(back.partition()).isEqualTo(key.partition());
            assertThat(serializer.copy(key)).isSameAs(key);
        }
    }
}
