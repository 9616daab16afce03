package dev.sigmacep.job;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Records and bytes read by file sources in this JVM. An embedded replay runs its mini cluster in the
 * client's JVM, so the progress display can read these while the job runs; on a real cluster they are unused.
 */
public final class ReplayProgress {
    private static final AtomicLong RECORDS = new AtomicLong();
    private static final AtomicLong BYTES = new AtomicLong();

    private ReplayProgress() {
    }

    static void recordRead(long bytes) {
        RECORDS.incrementAndGet();
        BYTES.addAndGet(bytes);
    }

    public static long records() {
        return RECORDS.get();
    }

    public static long bytes() {
        return BYTES.get();
    }

    public static void reset() {
        RECORDS.set(0);
        BYTES.set(0);
    }
}
