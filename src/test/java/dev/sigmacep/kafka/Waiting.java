package dev.sigmacep.kafka;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Waits for something the broker or a job does in its own time, looking every 50 ms. */
final class Waiting {
    @FunctionalInterface
    interface Condition {
        boolean holds() throws ExecutionException, InterruptedException;
    }

    private Waiting() {
    }

    /** @throws IllegalStateException with {@code whyNot} when the condition does not hold within the timeout */
    static void until(Condition condition, Duration timeout, Supplier<String> whyNot)
            throws ExecutionException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(whyNot.get());
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }
}
