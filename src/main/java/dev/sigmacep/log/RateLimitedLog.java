package dev.sigmacep.log;

import org.slf4j.Logger;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A log for what can happen once per record: at most {@code perMinute} messages a minute, and when a minute held
 * more, the next message says how many were left out. A flood of bad input (or one bug hit by every record) then
 * costs a few lines a minute, not a full disk. Thread-safe.
 */
public final class RateLimitedLog {
    private static final long MINUTE_NANOS = 60_000_000_000L;

    private final Logger logger;
    private final int perMinute;
    private final LongSupplier nanoTime;
    private final AtomicLong windowStart;
    private final AtomicLong inWindow = new AtomicLong();
    private final AtomicLong suppressed = new AtomicLong();

    public RateLimitedLog(Logger logger, int perMinute) {
        this(logger, perMinute, System::nanoTime);
    }

    RateLimitedLog(Logger logger, int perMinute, LongSupplier nanoTime) {
        this.logger = logger;
        this.perMinute = perMinute;
        this.nanoTime = nanoTime;
        this.windowStart = new AtomicLong(nanoTime.getAsLong());
    }

    /** A warning (bad input, a broken file): the message only. */
    public void warn(String message) {
        if (admit()) {
            logger.warn(withSuppressed(message));
        }
    }

    /** An error that is a bug: the message and the stack trace. */
    public void error(String message, Throwable error) {
        if (admit()) {
            logger.error(withSuppressed(message), error);
        }
    }

    private boolean admit() {
        long now = nanoTime.getAsLong();
        long start = windowStart.get();
        if (now - start >= MINUTE_NANOS && windowStart.compareAndSet(start, now)) {
            inWindow.set(0);
        }
        if (inWindow.incrementAndGet() <= perMinute) {
            return true;
        }
        suppressed.incrementAndGet();
        return false;
    }

    private String withSuppressed(String message) {
        long left = suppressed.getAndSet(0);
        return left == 0 ? message : message + " (" + left + " similar messages left out in the last minute)";
    }
}
