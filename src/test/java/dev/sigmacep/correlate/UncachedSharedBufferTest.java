package dev.sigmacep.correlate;

import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.cep.nfa.DeweyNumber;
import org.apache.flink.cep.nfa.sharedbuffer.EventId;
import org.apache.flink.cep.nfa.sharedbuffer.NodeId;
import org.apache.flink.cep.nfa.sharedbuffer.SharedBuffer;
import org.apache.flink.cep.nfa.sharedbuffer.SharedBufferAccessor;
import org.apache.flink.cep.nfa.sharedbuffer.UncachedSharedBuffer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link UncachedSharedBuffer} overrides package-private methods of Flink CEP's {@code SharedBuffer}: if a Flink upgrade
 * renames them, the overrides stop applying and the caches come back. These tests say so.
 */
class UncachedSharedBufferTest {

    @Test
    void writesGoStraightToTheGroupsMapsAndNeverIntoACache() throws Exception {
        GroupStateStore store = new GroupStateStore();
        GroupStateStore.Maps group = new GroupStateStore.Maps();
        store.select(group);
        SharedBuffer<String> buffer = new UncachedSharedBuffer<>(store, StringSerializer.INSTANCE);
        try (SharedBufferAccessor<String> accessor = buffer.getAccessor()) {
            NodeId first = startAndFollow(accessor);
            // before the accessor closes (when Flink's buffer flushes its caches) the states hold everything
            assertThat(buffer.getEventsBufferSize()).isEqualTo(2);
            assertThat(buffer.getSharedBufferNodeSize()).isEqualTo(2);
            assertThat(buffer.getEventsBufferCacheSize()).isZero();
            assertThat(buffer.getSharedBufferNodeCacheSize()).isZero();
            assertThat(group.isEmpty()).isFalse();
            accessor.releaseNode(first, new DeweyNumber(1));
        }
        assertThat(buffer.getEventsBufferCacheSize()).isZero();
        assertThat(buffer.getSharedBufferNodeCacheSize()).isZero();
        buffer.releaseCacheStatisticsTimer();
    }

    @Test
    void flinksOwnBufferCachesTheSameWritesUntilTheAccessorCloses() throws Exception {
        // the control: the assertions above can fail
        GroupStateStore store = new GroupStateStore();
        store.select(new GroupStateStore.Maps());
        SharedBuffer<String> buffer = new SharedBuffer<>(store, StringSerializer.INSTANCE);
        try (SharedBufferAccessor<String> accessor = buffer.getAccessor()) {
            startAndFollow(accessor);
            assertThat(buffer.getEventsBufferCacheSize()).isEqualTo(2);
            assertThat(buffer.getEventsBufferSize()).isZero();
        }
        assertThat(buffer.getEventsBufferSize()).isEqualTo(2);
        buffer.releaseCacheStatisticsTimer();
    }

    @Test
    void bothBuffersExtractTheSameMatchFromTheSameWrites() throws Exception {
        for (boolean uncached : new boolean[] {true, false}) {
            GroupStateStore store = new GroupStateStore();
            store.select(new GroupStateStore.Maps());
            SharedBuffer<String> buffer = uncached ? new UncachedSharedBuffer<>(store, StringSerializer.INSTANCE)
                    : new SharedBuffer<>(store, StringSerializer.INSTANCE);
            try (SharedBufferAccessor<String> accessor = buffer.getAccessor()) {
                EventId start = accessor.registerEvent("wermgr.exe started", 1_000);
                NodeId first = accessor.put("start", start, null, new DeweyNumber(1));
                EventId connection = accessor.registerEvent("wermgr.exe connected", 6_000);
                NodeId second = accessor.put("connection", connection, first, new DeweyNumber(1).addStage());
                List<Map<String, List<EventId>>> paths = accessor.extractPatterns(second, new DeweyNumber(1).addStage());
                assertThat(paths).hasSize(1);
                assertThat(accessor.materializeMatch(paths.get(0))).isEqualTo(Map.of(
                        "start", List.of("wermgr.exe started"), "connection", List.of("wermgr.exe connected")));
                accessor.releaseEvent(start);
                accessor.releaseEvent(connection);
            }
            buffer.releaseCacheStatisticsTimer();
        }
    }

    @Test
    void theStoreHandsOutOneMapPerName() throws Exception {
        GroupStateStore store = new GroupStateStore();
        store.select(new GroupStateStore.Maps());
        MapState<String, String> first = store.getMapState(new MapStateDescriptor<>("a", Types.STRING, Types.STRING));
        MapState<String, String> again = store.getMapState(new MapStateDescriptor<>("a", Types.STRING, Types.STRING));
        MapState<String, String> other = store.getMapState(new MapStateDescriptor<>("b", Types.STRING, Types.STRING));
        first.put("host", "WS01");
        assertThat(again.get("host")).isEqualTo("WS01");
        assertThat(other.isEmpty()).isTrue();
    }

    /** A started event and its follower, as the NFA writes them; returns the first node. */
    private static NodeId startAndFollow(SharedBufferAccessor<String> accessor) throws Exception {
        EventId start = accessor.registerEvent("start", 1_000);
        NodeId first = accessor.put("start", start, null, new DeweyNumber(1));
        EventId next = accessor.registerEvent("next", 2_000);
        accessor.put("next", next, first, new DeweyNumber(1).addStage());
        accessor.releaseEvent(start);
        accessor.releaseEvent(next);
        return first;
    }
}
