package dev.sigmacep.correlate;

import dev.sigmacep.serialize.SerializerTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.util.MathUtils;

/**
 * Makes the {@link GroupKey}s of a streaming job's shared sequences, each with a hash code of its own that keeps its
 * partition's key group. Flink puts a key in key group {@code murmurHash(hashCode()) % maxParallelism}. A group once
 * hashed as its partition did, which kept the key group but put all of a host's groups on one hash code, and Flink's
 * heap keyed state chains equal hash codes in a list: with 20,000 groups of one host a state access walked them all
 * (67 µs, {@code PartitionGroupsBenchmark}), and a checkpoint touches each group's state some ten times.
 *
 * <p>So a group's hash code is the number whose murmur hash is its partition's murmur hash modulo a modulus, plus the
 * modulus times a number spread from the group's own key. Its key group is its partition's at every max parallelism
 * that divides the modulus: {@link #ANY_POWER_OF_TWO} keeps it at every power of two up to Flink's bound, so at every
 * max parallelism Flink picks itself; a job configured with another max parallelism gets keys made for that one.
 * Either way the hash is a function of the group alone: savepoints hold no hash codes, and restored keys take theirs
 * from the job that reads them.
 */
public final class GroupKeys implements KeySelector<CorrelationEvent, GroupKey> {
    private static final long serialVersionUID = 1L;

    /** For any max parallelism that is a power of two, Flink's bound 32,768 (2^15) included. */
    public static final GroupKeys ANY_POWER_OF_TWO = new GroupKeys(KeyGroupRangeAssignment.UPPER_BOUND_MAX_PARALLELISM);

    private final int modulus;

    private GroupKeys(int modulus) {
        this.modulus = modulus;
    }

    /**
     * @param configuredMaxParallelism the job's {@code pipeline.max-parallelism}; 0 or less where Flink picks it (a
     *                                 power of two)
     */
    public static GroupKeys forMaxParallelism(int configuredMaxParallelism) {
        if (configuredMaxParallelism > KeyGroupRangeAssignment.UPPER_BOUND_MAX_PARALLELISM) {
            throw new IllegalArgumentException("max parallelism " + configuredMaxParallelism
                    + " is above Flink's bound " + KeyGroupRangeAssignment.UPPER_BOUND_MAX_PARALLELISM);
        }
        return configuredMaxParallelism <= 0 || ANY_POWER_OF_TWO.keepsKeyGroupsAt(configuredMaxParallelism)
                ? ANY_POWER_OF_TWO : new GroupKeys(configuredMaxParallelism);
    }

    @Override
    public GroupKey getKey(CorrelationEvent input) {
        return of(SharedInput.partition(input), input.key());
    }

    public GroupKey of(String partition, String key) {
        int image = MathUtils.murmurHash(partition.hashCode()) % modulus
                + modulus * Math.floorMod(MathUtils.bitMix(key.hashCode()), Integer.MAX_VALUE / modulus);
        return new GroupKey(partition, key, murmurPreimage(image));
    }

    /** Flink's bound for {@link #ANY_POWER_OF_TWO}, else the max parallelism these keys were made for. */
    int modulus() {
        return modulus;
    }

    /** Whether a group's key group at this max parallelism is its partition's. */
    public boolean keepsKeyGroupsAt(int maxParallelism) {
        return maxParallelism > 0 && modulus % maxParallelism == 0;
    }

    /** The type of these keys, whose serializer makes the keys it reads with these. */
    public TypeInformation<GroupKey> type() {
        return new SerializerTypeInfo<>(GroupKey.class, new GroupKey.Serializer(this));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof GroupKeys that && modulus == that.modulus;
    }

    @Override
    public int hashCode() {
        return modulus;
    }

    @Override
    public String toString() {
        return "group keys kept in their partition's key group modulo " + modulus;
    }

    /**
     * The x whose {@link MathUtils#murmurHash} is {@code image} (not negative): each step of that hash, all
     * invertible (multiplication by an odd number, rotation, xor with a right shift of itself), undone in reverse.
     */
    static int murmurPreimage(int image) {
        int h = image;
        // MathUtils.bitMix: h ^= h >>> 16; h *= 0x85ebca6b; h ^= h >>> 13; h *= 0xc2b2ae35; h ^= h >>> 16
        h ^= h >>> 16;
        h *= INVERSE_C2B2AE35;
        h ^= (h >>> 13) ^ (h >>> 26);
        h *= INVERSE_85EBCA6B;
        h ^= h >>> 16;
        // murmurHash: h *= 0xcc9e2d51; rotl 15; h *= 0x1b873593; rotl 13; h = h * 5 + 0xe6546b64; h ^= 4; bitMix
        h ^= 4;
        h = (h - 0xe6546b64) * INVERSE_5;
        h = Integer.rotateRight(h, 13);
        h *= INVERSE_1B873593;
        h = Integer.rotateRight(h, 15);
        return h * INVERSE_CC9E2D51;
    }

    private static final int INVERSE_C2B2AE35 = inverse(0xc2b2ae35);
    private static final int INVERSE_85EBCA6B = inverse(0x85ebca6b);
    private static final int INVERSE_5 = inverse(5);
    private static final int INVERSE_1B873593 = inverse(0x1b873593);
    private static final int INVERSE_CC9E2D51 = inverse(0xcc9e2d51);

    /** The multiplicative inverse of an odd number modulo 2^32 (Newton's iteration doubles the correct bits). */
    private static int inverse(int odd) {
        int x = odd; // correct to 3 bits: odd * odd = 1 modulo 8
        for (int i = 0; i < 4; i++) {
            x *= 2 - odd * x;
        }
        return x;
    }
}
