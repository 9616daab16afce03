package dev.sigmacep.metrics;

import org.apache.flink.metrics.Gauge;

import java.util.function.LongSupplier;

/**
 * How far a subtask's input is behind the wall clock: the wall clock when read minus the latest event time the subtask
 * has seen, in milliseconds. It grows while the input stalls, and in a replay of history it is the age of the newest
 * event read. Written by the task thread, read by the metric reporter's thread.
 */
public final class EventTimeLag implements Gauge<Long> {
    private final LongSupplier wallClockMillis;
    private volatile long latestEventMillis = Long.MIN_VALUE;

    public EventTimeLag(LongSupplier wallClockMillis) {
        this.wallClockMillis = wallClockMillis;
    }

    /** @return whether this is the subtask's first event (the gauge is registered then, so it has a value) */
    public boolean seen(long eventTimeMillis) {
        long latest = latestEventMillis;
        if (eventTimeMillis > latest) {
            latestEventMillis = eventTimeMillis;
        }
        return latest == Long.MIN_VALUE;
    }

    @Override
    public Long getValue() {
        return wallClockMillis.getAsLong() - latestEventMillis;
    }
}
