package dev.sigmacep.correlate;

import dev.sigmacep.serialize.ImmutableSerializer;
import dev.sigmacep.serialize.SerializerTypeInfo;
import dev.sigmacep.serialize.Utf8;
import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;
import java.util.Map;

/**
 * The key of a correlation's group in a streaming job whose sequences share one exchange ({@link SharedInputFanOut}):
 * equal as the group's key ({@link CorrelationEvent#key}) is, falling in the key group of its partition value (the
 * first group-by value), which the exchange keyed by that value already sent it to, so the correlation's operators
 * keep their state and timers per group without an exchange of their own. Made by {@link GroupKeys}, which gives it
 * a hash code of its own within that key group: see there why.
 *
 * <p>Ordered by key too, so that a hash map whose bin holds many (hash codes can still meet) searches it in log time.
 */
@TypeInfo(GroupKey.Type.class)
public final class GroupKey implements Comparable<GroupKey> {
    private final String partition;
    private final String key;
    private final int hash;

    GroupKey(String partition, String key, int hash) {
        this.partition = partition;
        this.key = key;
        this.hash = hash;
    }

    /** The group's first group-by value ({@link SharedInput#partition}). */
    public String partition() {
        return partition;
    }

    /** The group's key, of which the partition is the first value. */
    public String key() {
        return key;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof GroupKey that && key.equals(that.key) && partition.equals(that.partition);
    }

    /** Chosen by {@link GroupKeys}: a function of the partition and the key alone, so equal keys hash alike. */
    @Override
    public int hashCode() {
        return hash;
    }

    /** By key, which holds the partition too: consistent with {@link #equals}. */
    @Override
    public int compareTo(GroupKey other) {
        int byKey = key.compareTo(other.key);
        return byKey != 0 ? byKey : partition.compareTo(other.partition);
    }

    @Override
    public String toString() {
        return key;
    }

    /**
     * Version 1: the partition, then the key. The hash is not written: the keys read back hash as the
     * {@link GroupKeys} of this serializer make them, those of the job reading them.
     */
    public static final class Serializer extends ImmutableSerializer<GroupKey> {
        /** For keys made by {@link GroupKeys#ANY_POWER_OF_TWO}: the serializer a savepoint restores. */
        public static final Serializer INSTANCE = new Serializer(GroupKeys.ANY_POWER_OF_TWO);

        private final GroupKeys keys;

        Serializer(GroupKeys keys) {
            super(1);
            this.keys = keys;
        }

        @Override
        protected void write(GroupKey value, DataOutputView out) throws IOException {
            Utf8.write(out, value.partition);
            Utf8.write(out, value.key);
        }

        @Override
        protected GroupKey read(int version, DataInputView in) throws IOException {
            return keys.of(Utf8.read(in), Utf8.read(in));
        }

        /**
         * Flink reads some restored keys (the timers') with the serializer a snapshot restores, so the snapshot must
         * make keys that hash as the job's. For {@link GroupKeys#ANY_POWER_OF_TWO} that is the snapshot every
         * release wrote ({@code INSTANCE}); keys made for another max parallelism record it.
         */
        @Override
        public TypeSerializerSnapshot<GroupKey> snapshotConfiguration() {
            return keys.equals(GroupKeys.ANY_POWER_OF_TWO) ? super.snapshotConfiguration()
                    : new MaxParallelismSnapshot(keys);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Serializer that && keys.equals(that.keys);
        }

        @Override
        public int hashCode() {
            return keys.hashCode();
        }
    }

    /**
     * The snapshot of a serializer of keys made for a max parallelism that is no power of two: that max parallelism.
     * It restores only such a snapshot of the same max parallelism: keys restored from any other would hash into
     * other key groups, so Flink refuses the restore (the key serializer is incompatible) instead.
     */
    public static final class MaxParallelismSnapshot implements TypeSerializerSnapshot<GroupKey> {
        private int maxParallelism;

        /** For Flink, which restores a snapshot by reading it into a new instance. */
        public MaxParallelismSnapshot() {
        }

        MaxParallelismSnapshot(GroupKeys keys) {
            this.maxParallelism = keys.modulus();
        }

        @Override
        public int getCurrentVersion() {
            return 1;
        }

        @Override
        public void writeSnapshot(DataOutputView out) throws IOException {
            out.writeInt(maxParallelism);
        }

        @Override
        public void readSnapshot(int readVersion, DataInputView in, ClassLoader classLoader) throws IOException {
            maxParallelism = in.readInt();
        }

        @Override
        public TypeSerializer<GroupKey> restoreSerializer() {
            return new Serializer(GroupKeys.forMaxParallelism(maxParallelism));
        }

        @Override
        public TypeSerializerSchemaCompatibility<GroupKey> resolveSchemaCompatibility(
                TypeSerializerSnapshot<GroupKey> old) {
            return old instanceof MaxParallelismSnapshot earlier && earlier.maxParallelism == maxParallelism
                    ? TypeSerializerSchemaCompatibility.compatibleAsIs()
                    : TypeSerializerSchemaCompatibility.incompatible();
        }
    }

    /** Keys made by {@link GroupKeys#ANY_POWER_OF_TWO}; a job's own come from {@link GroupKeys#type()}. */
    public static final class Type extends TypeInfoFactory<GroupKey> {
        @Override
        public TypeInformation<GroupKey> createTypeInfo(java.lang.reflect.Type t,
                                                        Map<String, TypeInformation<?>> generics) {
            return new SerializerTypeInfo<>(GroupKey.class, Serializer.INSTANCE);
        }
    }
}
