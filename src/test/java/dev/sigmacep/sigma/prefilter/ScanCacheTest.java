package dev.sigmacep.sigma.prefilter;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The cache may forget a value, but must never answer for a value with another value's scan. */
class ScanCacheTest {

    /** Records that the scan of the value set these bits. */
    private static void record(ScanCache cache, String value, int... setBits) {
        TouchedBits set = new TouchedBits(8);
        for (int bit : setBits) {
            set.add(bit);
        }
        cache.record(value, set);
    }

    /** The bits a replay sets, or null when the value is not remembered. */
    private static List<Integer> replayed(ScanCache cache, String value) {
        long[] words = new long[8];
        if (!cache.replay(value, words)) {
            return null;
        }
        List<Integer> bits = new ArrayList<>();
        for (int w = 0; w < words.length; w++) {
            for (long word = words[w]; word != 0; word &= word - 1) {
                bits.add(64 * w + Long.numberOfTrailingZeros(word));
            }
        }
        return bits;
    }

    @Test
    void anEqualValueInANewStringIsReplayed() {
        ScanCache cache = new ScanCache(6, 6);
        String first = "C:\\Windows\\System32\\ntdll.dll+9d4c4|C:\\Windows\\System32\\KERNELBASE.dll+2b8ae";
        assertThat(replayed(cache, first)).isNull();
        record(cache, first, 3, 17, 130);
        assertThat(replayed(cache, new String(first.toCharArray()))).containsExactly(3, 17, 130);
        assertThat(cache.pairsOf(first)).containsExactly(0, (1L << 3) | (1L << 17), 2, 1L << (130 - 128));
    }

    @Test
    void aValueWhoseScanFoundNothingIsRememberedAsNothing() {
        ScanCache cache = new ScanCache(6, 6);
        String value = "2020-10-20T02:19:35.491Z";
        cache.replay(value, new long[8]);
        record(cache, value);
        assertThat(replayed(cache, value)).isEmpty();
    }

    @Test
    void collidingAndEvictedValuesAreNeverConfused() {
        ScanCache cache = new ScanCache(6, 6);
        Random random = new Random(7);
        List<String> values = new ArrayList<>();
        Map<String, Integer> bitOf = new HashMap<>();
        for (int i = 0; i < 500; i++) {
            // call traces that differ in a few hex digits, as real ones do
            String value = "C:\\Windows\\SYSTEM32\\ntdll.dll+" + Integer.toHexString(random.nextInt(4096))
                    + "|C:\\Windows\\System32\\KERNELBASE.dll+" + Integer.toHexString(random.nextInt(16));
            if (!bitOf.containsKey(value)) {
                bitOf.put(value, bitOf.size() % 512);
                values.add(value);
            }
        }
        int found = 0;
        for (int round = 0; round < 20_000; round++) {
            String value = new String(values.get(random.nextInt(values.size())).toCharArray());
            List<Integer> replayed = replayed(cache, value);
            if (replayed == null) {
                record(cache, value, bitOf.get(value));
            } else {
                assertThat(replayed).containsExactly(bitOf.get(value));
                found++;
            }
        }
        // 500 values over 64 slots: some are found again, most evicted, none confused
        assertThat(found).isPositive();
    }

    /** Cycles through distinct values of the given length, as a scan would: replay, and record what missed. */
    private static int hitsOver(ScanCache cache, int distinct, int length, int lookups) {
        int hits = 0;
        for (int i = 0; i < lookups; i++) {
            String value = String.format("%0" + length + "d", i % distinct);
            if (replayed(cache, value) == null) {
                record(cache, value, i % distinct % 512);
            } else {
                assertThat(replayed(cache, value)).containsExactly(i % distinct % 512);
                hits++;
            }
        }
        return hits;
    }

    @Test
    void aTableThatKeepsMissingLongValuesGrowsUntilTheyHit() {
        // 600 hashes of 64 chars in turn: in 64 or 256 direct-mapped slots each is evicted before its turn comes back
        ScanCache cache = new ScanCache(6, 10);
        hitsOver(cache, 600, 64, 40_000);
        assertThat(hitsOver(cache, 600, 64, 6_000)).as("hits once grown to 1,024 slots").isGreaterThan(3_000);

        ScanCache bounded = new ScanCache(6, 8);
        hitsOver(bounded, 600, 64, 40_000);
        assertThat(hitsOver(bounded, 600, 64, 6_000)).as("hits at its bound of 256 slots").isLessThan(1_500);
    }

    @Test
    void aTableMissingShortValuesKeepsItsSize() {
        ScanCache shortValues = new ScanCache(6, 10);
        hitsOver(shortValues, 600, ScanCache.MIN_MEAN_CHARS - 1, 40_000); // ids: cheaper to scan than to keep
        assertThat(hitsOver(shortValues, 600, ScanCache.MIN_MEAN_CHARS - 1, 6_000)).isLessThan(1_500);
    }
}
