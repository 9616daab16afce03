package dev.sigmacep.correlate;

import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeutils.base.IntSerializer;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.cep.configuration.SharedBufferCacheConfig;
import org.apache.flink.cep.nfa.sharedbuffer.EventId;
import org.apache.flink.cep.nfa.sharedbuffer.SharedBuffer;
import org.apache.flink.cep.nfa.sharedbuffer.SharedBufferAccessor;
import org.apache.flink.cep.nfa.sharedbuffer.TimerPrunedSharedBuffer;
import org.apache.flink.cep.nfa.sharedbuffer.UncachedSharedBuffer;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link TimerPrunedSharedBuffer} overrides package-private methods of Flink CEP's {@code SharedBuffer}: the NFA's
 * advance leaves the counts of events per timestamp, the pruning timer's call removes those before its time; at a
 * time new to every key, events are numbered without reading a count. If a Flink upgrade renames a method, the first
 * or second test fails.
 */
class TimerPrunedSharedBufferTest {
    private static final MapStateDescriptor<Long, Integer> COUNTS = new MapStateDescriptor<>(
            "sharedBuffer-events-count", LongSerializer.INSTANCE, IntSerializer.INSTANCE);

    @Test
    void theAdvanceLeavesTheCountsAndThePruneRemovesThoseBeforeItsTime() throws Exception {
        GroupStateStore store = new GroupStateStore();
        store.select(new GroupStateStore.Maps());
        TimerPrunedSharedBuffer<String> buffer = new TimerPrunedSharedBuffer<>(store, StringSerializer.INSTANCE,
                SharedBufferCacheConfig.of(new Configuration()), () -> "the key");
        registerAndAdvance(buffer);
        MapState<Long, Integer> counts = store.getMapState(COUNTS);
        assertThat(timestamps(counts)).as("left by the advance").containsExactlyInAnyOrder(1_000L, 2_000L);
        try (SharedBufferAccessor<String> accessor = buffer.getAccessor()) {
            EventId another = accessor.registerEvent("another at 2,000", 2_000);
            assertThat(another.getId()).as("numbered after those of its timestamp").isEqualTo(1);
            accessor.releaseEvent(another);
        }
        buffer.pruneCounts(2_000);
        assertThat(timestamps(counts)).containsExactly(2_000L);
        buffer.pruneCounts(2_001);
        assertThat(counts.isEmpty()).isTrue();
        buffer.releaseCacheStatisticsTimer();
    }

    /**
     * At a time its caller says is new to every key, the buffer numbers a key's events itself, without reading the
     * count (here one is stored already, to show that it is not read), and stores the count as Flink's does.
     */
    @Test
    void atAFreshTimeEachKeysEventsAreNumberedWithoutReadingTheCount() throws Exception {
        GroupStateStore store = new GroupStateStore();
        GroupStateStore.Maps a = new GroupStateStore.Maps();
        GroupStateStore.Maps b = new GroupStateStore.Maps();
        String[] key = {"a"};
        store.select(a);
        TimerPrunedSharedBuffer<String> buffer = new TimerPrunedSharedBuffer<>(store, StringSerializer.INSTANCE,
                SharedBufferCacheConfig.of(new Configuration()), () -> key[0]);
        MapState<Long, Integer> counts = store.getMapState(COUNTS);
        counts.put(3_000L, 7);
        buffer.freshTime(3_000);
        try (SharedBufferAccessor<String> accessor = buffer.getAccessor()) {
            assertThat(accessor.registerEvent("a1", 3_000)).isEqualTo(new EventId(0, 3_000));
            assertThat(accessor.registerEvent("a2", 3_000)).isEqualTo(new EventId(1, 3_000));
            key[0] = "b";
            store.select(b);
            assertThat(accessor.registerEvent("b1", 3_000)).isEqualTo(new EventId(0, 3_000));
            key[0] = "a";
            store.select(a);
            assertThat(accessor.registerEvent("a3", 3_000)).isEqualTo(new EventId(2, 3_000));
            assertThat(accessor.registerEvent("a at another time", 4_000)).isEqualTo(new EventId(0, 4_000));
        }
        assertThat(counts.get(3_000L)).isEqualTo(3);
        assertThat(counts.get(4_000L)).isEqualTo(1);
        MapState<Object, Object> events = store.getMapState(eventsState());
        List<Object> ids = new ArrayList<>();
        events.keys().forEach(ids::add);
        assertThat(ids).containsExactlyInAnyOrder(new EventId(0, 3_000), new EventId(1, 3_000),
                new EventId(2, 3_000), new EventId(0, 4_000));
        buffer.freshTime(Long.MIN_VALUE);
        try (SharedBufferAccessor<String> accessor = buffer.getAccessor()) {
            assertThat(accessor.registerEvent("a4", 3_000)).as("the count read again").isEqualTo(new EventId(3, 3_000));
        }
        buffer.releaseCacheStatisticsTimer();
    }

    @SuppressWarnings("unchecked")
    private static MapStateDescriptor<Object, Object> eventsState() {
        return (MapStateDescriptor<Object, Object>) UncachedSharedBuffer.mapStates(StringSerializer.INSTANCE).stream()
                .filter(state -> state.getName().equals("sharedBuffer-events")).findFirst().orElseThrow();
    }

    @Test
    void flinksOwnBufferDropsTheCountsAtTheAdvance() throws Exception {
        // the control: the first assertion above can fail
        GroupStateStore store = new GroupStateStore();
        store.select(new GroupStateStore.Maps());
        SharedBuffer<String> buffer = new SharedBuffer<>(store, StringSerializer.INSTANCE);
        registerAndAdvance(buffer);
        assertThat(store.getMapState(COUNTS).isEmpty()).isTrue();
        buffer.releaseCacheStatisticsTimer();
    }

    /** Two events at 1,000 and 2,000, released, then the NFA's advance to 5,000. */
    private static void registerAndAdvance(SharedBuffer<String> buffer) throws Exception {
        try (SharedBufferAccessor<String> accessor = buffer.getAccessor()) {
            EventId first = accessor.registerEvent("first", 1_000);
            EventId second = accessor.registerEvent("second", 2_000);
            accessor.releaseEvent(first);
            accessor.releaseEvent(second);
        }
        try (SharedBufferAccessor<String> accessor = buffer.getAccessor()) {
            accessor.advanceTime(5_000);
        }
    }

    private static List<Long> timestamps(MapState<Long, Integer> counts) throws Exception {
        List<Long> timestamps = new ArrayList<>();
        counts.keys().forEach(timestamps::add);
        return timestamps;
    }
}
