package dev.sigmacep.sigma.prefilter;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The cache may forget a value, but must never answer for a value with another value's scan. */
class ScanCacheTest {

    @Test
    void anEqualValueInANewStringIsFound() {
        ScanCache cache = new ScanCache(6);
        String first = "C:\\Windows\\System32\\ntdll.dll+9d4c4|C:\\Windows\\System32\\KERNELBASE.dll+2b8ae";
        assertThat(cache.find(first)).isNull();
        ScanMemo memo = cache.recordInto(first);
        assertThat(cache.find(new String(first.toCharArray()))).isSameAs(memo);
    }

    @Test
    void collidingAndEvictedValuesAreNeverConfused() {
        ScanCache cache = new ScanCache(6);
        Random random = new Random(7);
        List<String> values = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            // call traces that differ in a few hex digits, as real ones do
            values.add("C:\\Windows\\SYSTEM32\\ntdll.dll+" + Integer.toHexString(random.nextInt(4096))
                    + "|C:\\Windows\\System32\\KERNELBASE.dll+" + Integer.toHexString(random.nextInt(16)));
        }
        int found = 0;
        for (int round = 0; round < 20_000; round++) {
            String value = new String(values.get(random.nextInt(values.size())).toCharArray());
            ScanMemo memo = cache.find(value);
            if (memo == null) {
                cache.recordInto(value);
            } else {
                assertThat(memo.holds(value, value.hashCode())).isTrue();
                found++;
            }
        }
        // 500 values over 64 entries: some are found again, most evicted, none confused
        assertThat(found).isPositive();
    }
}
