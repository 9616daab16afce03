package dev.sigmacep.correlate;

import dev.sigmacep.serialize.ImmutableSerializer;
import dev.sigmacep.serialize.SerializerTypeInfo;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.util.MathUtils;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GroupKeyTest {
    private static final GroupKeys KEYS = GroupKeys.ANY_POWER_OF_TWO;

    /** What lets a sequence's operators keep per-group state behind an exchange keyed by the partition value. */
    @Test
    void aGroupFallsInItsPartitionsKeyGroupAndSubtask() {
        Map<GroupKeys, int[]> maxParallelisms = Map.of(
                KEYS, new int[]{1, 2, 128, 256, 4096, 32768},
                GroupKeys.forMaxParallelism(100), new int[]{100, 50, 1},
                GroupKeys.forMaxParallelism(720), new int[]{720});
        Random random = new Random(5);
        for (int i = 0; i < 10_000; i++) {
            String partition = "WKS-" + random.nextInt(1_000_000) + (random.nextBoolean() ? ".corp.example" : "");
            String key = partition + "\u001f{" + random.nextLong() + "}";
            for (var keys : maxParallelisms.entrySet()) {
                GroupKey group = keys.getKey().of(partition, key);
                for (int maxParallelism : keys.getValue()) {
                    assertThat(keys.getKey().keepsKeyGroupsAt(maxParallelism)).isTrue();
                    assertThat(KeyGroupRangeAssignment.assignToKeyGroup(group, maxParallelism))
                            .isEqualTo(KeyGroupRangeAssignment.assignToKeyGroup(partition, maxParallelism));
                    for (int parallelism : new int[]{1, 2, 3, 16}) {
                        if (parallelism <= maxParallelism) {
                            assertThat(KeyGroupRangeAssignment.assignKeyToParallelOperator(group, maxParallelism,
                                    parallelism)).isEqualTo(KeyGroupRangeAssignment.assignKeyToParallelOperator(
                                    partition, maxParallelism, parallelism));
                        }
                    }
                }
            }
        }
    }

    /** Where the key group would not be kept, the keys say so, and the fan-out refuses to run. */
    @Test
    void keysAreMadeForTheConfiguredMaxParallelism() {
        assertThat(GroupKeys.forMaxParallelism(-1)).isSameAs(KEYS); // unset: Flink picks a power of two
        assertThat(GroupKeys.forMaxParallelism(0)).isSameAs(KEYS);
        assertThat(GroupKeys.forMaxParallelism(128)).isSameAs(KEYS);
        assertThat(GroupKeys.forMaxParallelism(32768)).isSameAs(KEYS);
        assertThat(KEYS.keepsKeyGroupsAt(100)).isFalse();
        assertThat(KEYS.keepsKeyGroupsAt(0)).isFalse();
        GroupKeys at720 = GroupKeys.forMaxParallelism(720);
        assertThat(at720).isNotEqualTo(KEYS).isEqualTo(GroupKeys.forMaxParallelism(720));
        assertThat(at720.keepsKeyGroupsAt(128)).isFalse();
        assertThat(at720.keepsKeyGroupsAt(360)).isTrue();
        assertThatThrownBy(() -> GroupKeys.forMaxParallelism(40_000))
                .hasMessage("max parallelism 40000 is above Flink's bound 32768");
    }

    @Test
    void theHashIsAnExactMurmurPreimage() {
        Random random = new Random(7);
        for (int i = 0; i < 1_000_000; i++) {
            int image = random.nextInt() & Integer.MAX_VALUE;
            assertThat(MathUtils.murmurHash(GroupKeys.murmurPreimage(image))).isEqualTo(image);
        }
        assertThat(MathUtils.murmurHash(GroupKeys.murmurPreimage(0))).isZero();
        assertThat(MathUtils.murmurHash(GroupKeys.murmurPreimage(Integer.MAX_VALUE))).isEqualTo(Integer.MAX_VALUE);
    }

    /** What the hash is for: a host's many groups hash apart, in Flink's heap keyed state as in hash maps. */
    @Test
    void aPartitionsGroupsHashApart() {
        for (GroupKeys keys : List.of(KEYS, GroupKeys.forMaxParallelism(720))) {
            Set<Integer> hashes = new HashSet<>();
            for (int i = 0; i < 1_000; i++) {
                hashes.add(keys.of("WKS-1", "WKS-1\u001f{" + i + "}").hashCode());
            }
            assertThat(hashes).as("%s", keys).hasSizeGreaterThan(980);
        }
    }

    @Test
    void groupsAreEqualByKeyAndHashAlike() {
        GroupKey a = KEYS.of("host", "host|1");
        assertThat(a).isEqualTo(KEYS.of("host", "host|1")).hasSameHashCodeAs(KEYS.of("host", "host|1"))
                .isEqualTo(GroupKeys.forMaxParallelism(720).of("host", "host|1"))
                .isNotEqualTo(KEYS.of("host", "host|2")).isNotEqualTo(KEYS.of("other", "host|1"))
                .isNotEqualTo("host|1");
        assertThat(a.partition()).isEqualTo("host");
        assertThat(a.key()).isEqualTo("host|1");
        assertThat(a).hasToString("host|1");
    }

    /** Hash codes can still meet: in a bin of many a hash map finds a group in log time. */
    @Test
    void groupsAreOrderedConsistentlyWithEquals() {
        GroupKey a = KEYS.of("host", "host|1");
        assertThat(a.compareTo(KEYS.of("host", "host|1"))).isZero();
        assertThat(a.compareTo(KEYS.of("host", "host|2"))).isNegative();
        assertThat(KEYS.of("host", "host|2").compareTo(a)).isPositive();
        assertThat(KEYS.of("a", "x").compareTo(KEYS.of("b", "x"))).isNegative(); // never 0 unless equal
        Map<GroupKey, Integer> groups = new HashMap<>();
        for (int i = 0; i < 1_000; i++) {
            groups.put(KEYS.of("host", "host|" + i), i);
        }
        for (int i = 0; i < 1_000; i++) {
            assertThat(groups.get(KEYS.of("host", "host|" + i))).isEqualTo(i);
        }
        assertThat(groups.get(KEYS.of("host", "host|1000"))).isNull();
    }

    @Test
    void itsOwnSerializerWritesAndReadsItHashedAsItsJobsKeys() throws Exception {
        TypeInformation<GroupKey> type = TypeInformation.of(GroupKey.class);
        assertThat(type).isInstanceOf(SerializerTypeInfo.class).isEqualTo(KEYS.type()); // never Kryo
        for (GroupKeys keys : List.of(KEYS, GroupKeys.forMaxParallelism(720))) {
            TypeSerializer<GroupKey> serializer = keys.type().createSerializer(new SerializerConfigImpl());
            for (GroupKey key : List.of(keys.of("h", "h"), keys.of("ÿ主机🙂", "ÿ主机🙂\u0000x"), keys.of("", ""))) {
                DataOutputSerializer out = new DataOutputSerializer(64);
                serializer.serialize(key, out);
                GroupKey back = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
                assertThat(back).isEqualTo(key).hasSameHashCodeAs(key);
                assertThat(back.partition()).isEqualTo(key.partition());
                assertThat(serializer.copy(key)).isSameAs(key);
            }
        }
        assertThat(GroupKeys.forMaxParallelism(720).type()).isNotEqualTo(type);
    }

    /**
     * Flink reads restored timers' keys with the serializer a snapshot restores: for keys made for a max parallelism
     * that is no power of two the snapshot records it; the power-of-two keys' snapshot is the one every release wrote.
     */
    @Test
    void aSnapshotRestoresKeysThatHashAsTheJobs() throws Exception {
        TypeSerializer<GroupKey> any = KEYS.type().createSerializer(new SerializerConfigImpl());
        TypeSerializer<GroupKey> at720 = GroupKeys.forMaxParallelism(720).type()
                .createSerializer(new SerializerConfigImpl());
        TypeSerializerSnapshot<GroupKey> anySnapshot = written(any.snapshotConfiguration());
        TypeSerializerSnapshot<GroupKey> snapshot720 = written(at720.snapshotConfiguration());
        assertThat(anySnapshot).isInstanceOf(ImmutableSerializer.Snapshot.class);
        assertThat(anySnapshot.restoreSerializer()).isSameAs(GroupKey.Serializer.INSTANCE).isEqualTo(any);
        assertThat(snapshot720.restoreSerializer()).isEqualTo(at720).isNotEqualTo(any);
        assertThat(at720.snapshotConfiguration().resolveSchemaCompatibility(snapshot720).isCompatibleAsIs()).isTrue();
        assertThat(any.snapshotConfiguration().resolveSchemaCompatibility(anySnapshot).isCompatibleAsIs()).isTrue();
        // across kinds of keys the restored keys would hash into other key groups: Flink refuses the restore
        assertThat(at720.snapshotConfiguration().resolveSchemaCompatibility(anySnapshot).isIncompatible()).isTrue();
        assertThat(any.snapshotConfiguration().resolveSchemaCompatibility(snapshot720).isIncompatible()).isTrue();
        assertThat(GroupKeys.forMaxParallelism(100).type().createSerializer(new SerializerConfigImpl())
                .snapshotConfiguration().resolveSchemaCompatibility(snapshot720).isIncompatible()).isTrue();
    }

    /** A snapshot as a savepoint holds it, read back. */
    private static TypeSerializerSnapshot<GroupKey> written(TypeSerializerSnapshot<GroupKey> snapshot)
            throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, snapshot);
        return TypeSerializerSnapshot.readVersionedSnapshot(new DataInputDeserializer(out.getCopyOfBuffer()),
                GroupKeyTest.class.getClassLoader());
    }
}
