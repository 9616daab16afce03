package org.apache.flink.cep.nfa.sharedbuffer;

import org.apache.flink.api.common.state.KeyedStateStore;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.cep.configuration.SharedBufferCacheConfig;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Flink CEP's shared buffer (with its caches) whose counts of events per timestamp leave the state when the operator's
 * timers say so ({@link #removeCount}, {@link #pruneCounts}), not at every advance of the NFA. Flink's
 * {@code advanceTime} walks the current key's counts three times (their keys, {@code isEmpty}, {@code clear}); on
 * RocksDB each walk is a seek that steps over the tombstones of counts removed before, which made half the time of a
 * streaming sequence at 50,000 open chains (docs/benchmarks.md, round 13). A count only numbers the events of one
 * timestamp, and no event can arrive at a timestamp the watermark has passed, so a count left until a later timer
 * changes no event id.
 *
 * <p>For operators whose pattern has a timespan: each partial match has a pruning timer at its end, and every event a
 * partial match registers lies before it. Like {@link UncachedSharedBuffer} it overrides package-private methods and
 * asks for the same state by name; {@code TimerPrunedSharedBufferTest} fails if a Flink upgrade stops the overrides.
 */
public final class TimerPrunedSharedBuffer<V> extends SharedBuffer<V> {
    private static final long NONE = Long.MIN_VALUE;

    private final MapState<Long, Integer> eventCounts;
    private final Supplier<Object> currentKey;
    private Map<Object, Integer> freshCounts = new HashMap<>(); // by key, of the events at freshTime
    private long freshTime = NONE;

    /** @param currentKey the key the keyed state is set to (the one whose buffer is in use) */
    public TimerPrunedSharedBuffer(KeyedStateStore store, TypeSerializer<V> valueSerializer,
                                   SharedBufferCacheConfig cacheConfig, Supplier<Object> currentKey) {
        super(store, valueSerializer, cacheConfig);
        this.eventCounts = store.getMapState(UncachedSharedBuffer.eventCountsState());
        this.currentKey = currentKey;
    }

    /**
     * Until the next call, no key has a count of events at this time but those registered from now on: the caller
     * knows the time is new to every key (an operator taking the inputs of one timestamp, which no later input can
     * join), so registering an event there reads no count (on RocksDB a read of a key that is not there is a search
     * of every level, a tenth of a sequence's time once checkpoints flush the memtables). {@link Long#MIN_VALUE}: none.
     */
    public void freshTime(long time) {
        freshTime = time;
        if (!freshCounts.isEmpty()) {
            freshCounts = new HashMap<>(); // not clear(): that walks the table as large as the largest time made it
        }
    }

    /** As Flink's: the event is numbered after those of its key and timestamp, and cached until the accessor closes. */
    @Override
    EventId registerEvent(V value, long timestamp) throws Exception {
        if (timestamp != freshTime || freshTime == NONE) {
            return super.registerEvent(value, timestamp);
        }
        int id = freshCounts.merge(currentKey.get(), 1, Integer::sum) - 1;
        eventCounts.put(timestamp, id + 1);
        EventId eventId = new EventId(id, timestamp);
        upsertEvent(eventId, new Lockable<>(value, 1));
        return eventId;
    }

    /** Nothing: the counts wait for the operator's timers. */
    @Override
    void advanceTime(long timestamp) {
    }

    /** The current key's count of events at this time leaves the state (no walk: a delete). */
    public void removeCount(long time) throws Exception {
        eventCounts.remove(time);
    }

    /** The current key's counts of events before this time leave the state, in one walk. */
    public void pruneCounts(long time) throws Exception {
        Iterator<Long> timestamps = eventCounts.keys().iterator();
        while (timestamps.hasNext()) {
            if (timestamps.next() < time) {
                timestamps.remove();
            }
        }
    }
}
