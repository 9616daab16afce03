package dev.sigmacep.correlate;

import dev.sigmacep.serialize.ImmutableSerializer;
import dev.sigmacep.serialize.SerializerTypeInfo;
import dev.sigmacep.serialize.Utf8;
import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;
import java.util.Map;

/**
 * The key of a correlation's group in a streaming job whose sequences share one exchange ({@link SharedInputFanOut}):
 * equal as the group's key ({@link CorrelationEvent#key}) is, but hashing as its partition value (the first group-by
 * value) does. Flink assigns a key to its key group by {@code hashCode()}, so every group of a partition lands in the
 * key group the exchange keyed by that partition already sent it to, and the correlation's operators can keep their
 * state and timers per group without an exchange of their own.
 *
 * <p>All groups of a partition (one host's processes, say) share a hash code, so in a hash map they share a bin;
 * ordered by key, a bin of many is a tree that Java's {@code HashMap} searches in log time instead of one by one.
 *
 * @param partition the group's first group-by value ({@link SharedInput#partition})
 * @param key       the group's key, of which the partition is the first value
 */
@TypeInfo(GroupKey.Type.class)
public record GroupKey(String partition, String key) implements Comparable<GroupKey> {
    public static GroupKey of(CorrelationEvent input) {
        return new GroupKey(SharedInput.partition(input), input.key());
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof GroupKey that && key.equals(that.key) && partition.equals(that.partition);
    }

    /** The partition's hash: see the class comment. */
    @Override
    public int hashCode() {
        return partition.hashCode();
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

    /** Version 1: the partition, then the key. */
    public static final class Serializer extends ImmutableSerializer<GroupKey> {
        public static final Serializer INSTANCE = new Serializer();

        private Serializer() {
            super(1);
        }

        @Override
        protected void write(GroupKey value, DataOutputView out) throws IOException {
            Utf8.write(out, value.partition);
            Utf8.write(out, value.key);
        }

        @Override
        protected GroupKey read(int version, DataInputView in) throws IOException {
            return new GroupKey(Utf8.read(in), Utf8.read(in));
        }
    }

    public static final class Type extends TypeInfoFactory<GroupKey> {
        @Override
        public TypeInformation<GroupKey> createTypeInfo(java.lang.reflect.Type t,
                                                        Map<String, TypeInformation<?>> generics) {
            return new SerializerTypeInfo<>(GroupKey.class, Serializer.INSTANCE);
        }
    }
}
