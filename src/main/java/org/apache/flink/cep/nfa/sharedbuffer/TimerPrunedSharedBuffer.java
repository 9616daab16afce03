package org.apache.flink.cep.nfa.sharedbuffer;

import org.apache.flink.api.common.state.KeyedStateStore;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.cep.configuration.SharedBufferCacheConfig;

import java.util.Iterator;

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
 * partial match registers lies before it. Like {@link UncachedSharedBuffer} it overrides a package-private method and
 * asks for the same state by name; {@code TimerPrunedSharedBufferTest} fails if a Flink upgrade stops the override.
 */
public final class TimerPrunedSharedBuffer<V> extends SharedBuffer<V> {
    private final MapState<Long, Integer> eventCounts;

    public TimerPrunedSharedBuffer(KeyedStateStore store, TypeSerializer<V> valueSerializer,
                                   SharedBufferCacheConfig cacheConfig) {
        super(store, valueSerializer, cacheConfig);
        this.eventCounts = store.getMapState(UncachedSharedBuffer.eventCountsState());
    }

    /** Nothing: the counts wait for {@link #pruneCounts}. */
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
