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
    private final CandidateSet candidates = new CandidateSet(null, 4096, 1, new long[64]);

    /** Replays into the candidate set and returns the rules it selected (pattern p is owned by rule p). */
    private List<Integer> replayed(ScanCache cache, String value) {
        candidates.clear();
        candidates.scan(AhoCorasick.of(List.of("unused")), ownersOneToOne(), "", 0); // sets the owners table
        candidates.clear();
        if (!cache.replay(value, candidates)) {
            return null;
        }
        List<Integer> rules = new ArrayList<>();
        for (int w = 0; w < candidates.wordCount(); w++) {
            for (long word = candidates.word(w); word != 0; word &= word - 1) {
                rules.add(64 * w + Long.numberOfTrailingZeros(word));
            }
        }
        return rules;
    }

    private static int[][] ownersOneToOne() {
        int[][] owners = new int[4096][];
        for (int p = 0; p < owners.length; p++) {
            owners[p] = new int[]{p};
        }
        return owners;
    }

    @Test
    void anEqualValueInANewStringIsReplayed() {
        ScanCache cache = new ScanCache(6);
        String first = "C:\\Windows\\System32\\ntdll.dll+9d4c4|C:\\Windows\\System32\\KERNELBASE.dll+2b8ae";
        assertThat(replayed(cache, first)).isNull();
        cache.record(first);
        cache.add(3);
        cache.add(3); // the same pattern again in a row is kept once
        cache.add(17);
        cache.endRecording();
        cache.add(99); // not recording any more
        assertThat(replayed(cache, new String(first.toCharArray()))).containsExactly(3, 17);
    }

    @Test
    void aValueWithTooManyPatternsIsForgotten() {
        ScanCache cache = new ScanCache(6);
        String value = "many";
        cache.replay(value, candidates);
        cache.record(value);
        for (int p = 0; p < 300; p++) {
            cache.add(p);
        }
        cache.endRecording();
        assertThat(cache.replay(value, candidates)).isFalse();
    }

    @Test
    void collidingAndEvictedValuesAreNeverConfused() {
        ScanCache cache = new ScanCache(6);
        Random random = new Random(7);
        List<String> values = new ArrayList<>();
        Map<String, Integer> patternOf = new HashMap<>();
        for (int i = 0; i < 500; i++) {
            // call traces that differ in a few hex digits, as real ones do
            String value = "C:\\Windows\\SYSTEM32\\ntdll.dll+" + Integer.toHexString(random.nextInt(4096))
                    + "|C:\\Windows\\System32\\KERNELBASE.dll+" + Integer.toHexString(random.nextInt(16));
            if (!patternOf.containsKey(value)) {
                patternOf.put(value, patternOf.size());
                values.add(value);
            }
        }
        int found = 0;
        for (int round = 0; round < 20_000; round++) {
            String value = new String(values.get(random.nextInt(values.size())).toCharArray());
            List<Integer> replayed = replayed(cache, value);
            if (replayed == null) {
                cache.record(value);
                cache.add(patternOf.get(value));
                cache.endRecording();
            } else {
                assertThat(replayed).containsExactly(patternOf.get(value));
                found++;
            }
        }
        // 500 values over 64 slots: some are found again, most evicted, none confused
        assertThat(found).isPositive();
    }
}
