package org.apache.flink.cep.nfa.sharedbuffer;

import org.apache.flink.api.common.state.KeyedStateStore;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.base.IntSerializer;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.util.WrappingRuntimeException;

import java.util.List;

/**
 * Flink CEP's shared buffer with its reads and writes going straight to its map states, without the two Guava caches
 * Flink keeps in front of them (made for state backends that serialize on every access). For map states that hand
 * out the stored objects (Flink's {@code hashmap} backend, BATCH's, sigma-cep's heap maps per group) those caches only
 * cost: a third of the fleet replay's correlation task, a quarter of the streaming CEP operator's time at 200,000
 * hosts (docs/benchmarks.md, round 10).
 *
 * <p>It sits in Flink CEP's package because the methods its accessor reaches it through are package-private, and it
 * asks the store for the same map states by name as the class it extends. So where it would not override them (a
 * Flink with other methods, or Flink CEP loaded by another class loader) the cached code runs on the same states:
 * slower, never different. Re-check on a Flink upgrade: {@code UncachedSharedBufferTest} fails if the caches are
 * used; {@code CorrelationCepOperatorTest} and {@code SharedCepOperatorTest} compare alerts with Flink's own buffer.
 */
public final class UncachedSharedBuffer<V> extends SharedBuffer<V> {
    // the names and serializers SharedBuffer gives its map states in Flink 2.2
    private final MapState<EventId, Lockable<V>> events;
    private final MapState<NodeId, Lockable<SharedBufferNode>> entries;
    private final MapState<Long, Integer> eventCounts;

    /** @param store a store handing out the same map state for the same name (its states are read on every call) */
    public UncachedSharedBuffer(KeyedStateStore store, TypeSerializer<V> valueSerializer) {
        super(store, valueSerializer);
        this.events = store.getMapState(eventsState(valueSerializer));
        this.entries = store.getMapState(entriesState());
        this.eventCounts = store.getMapState(eventCountsState());
    }

    /** The map states a shared buffer keeps its partial matches in, with Flink 2.2's names and serializers. */
    public static <V> List<MapStateDescriptor<?, ?>> mapStates(TypeSerializer<V> valueSerializer) {
        return List.of(eventsState(valueSerializer), entriesState(), eventCountsState());
    }

    private static <V> MapStateDescriptor<EventId, Lockable<V>> eventsState(TypeSerializer<V> valueSerializer) {
        return new MapStateDescriptor<>("sharedBuffer-events", EventId.EventIdSerializer.INSTANCE,
                new Lockable.LockableTypeSerializer<>(valueSerializer));
    }

    private static MapStateDescriptor<NodeId, Lockable<SharedBufferNode>> entriesState() {
        return new MapStateDescriptor<>("sharedBuffer-entries-with-lockable-edges", new NodeId.NodeIdSerializer(),
                new Lockable.LockableTypeSerializer<>(new SharedBufferNodeSerializer()));
    }

    static MapStateDescriptor<Long, Integer> eventCountsState() {
        return new MapStateDescriptor<>("sharedBuffer-events-count", LongSerializer.INSTANCE, IntSerializer.INSTANCE);
    }

    @Override
    EventId registerEvent(V value, long timestamp) throws Exception {
        Integer count = eventCounts.get(timestamp);
        int id = count == null ? 0 : count;
        EventId eventId = new EventId(id, timestamp);
        events.put(eventId, new Lockable<>(value, 1));
        eventCounts.put(timestamp, id + 1);
        return eventId;
    }

    @Override
    void upsertEvent(EventId eventId, Lockable<V> event) {
        put(events, eventId, event);
    }

    @Override
    void upsertEntry(NodeId nodeId, Lockable<SharedBufferNode> entry) {
        put(entries, nodeId, entry);
    }

    @Override
    void removeEvent(EventId eventId) throws Exception {
        events.remove(eventId);
    }

    @Override
    void removeEntry(NodeId nodeId) throws Exception {
        entries.remove(nodeId);
    }

    @Override
    Lockable<SharedBufferNode> getEntry(NodeId nodeId) {
        return get(entries, nodeId);
    }

    @Override
    Lockable<V> getEvent(EventId eventId) {
        return get(events, eventId);
    }

    /** Nothing is held back: every write went to the states already. */
    @Override
    void flushCache() {
    }

    private static <K, T> T get(MapState<K, T> state, K key) {
        try {
            return state.get(key);
        } catch (Exception e) {
            throw new WrappingRuntimeException(e); // as SharedBuffer does
        }
    }

    private static <K, T> void put(MapState<K, T> state, K key, T value) {
        try {
            state.put(key, value);
        } catch (Exception e) {
            throw new WrappingRuntimeException(e);
        }
    }
}
