package dev.sigmacep.correlate;

import org.apache.flink.api.common.state.AggregatingState;
import org.apache.flink.api.common.state.AggregatingStateDescriptor;
import org.apache.flink.api.common.state.KeyedStateStore;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReducingState;
import org.apache.flink.api.common.state.ReducingStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Map states on the heap, scoped to a group the caller selects: what a Flink CEP {@code SharedBuffer} needs to keep
 * one group's partial matches while {@link SharedCepOperator} runs many groups of one correlation under one key.
 * Nothing is serialized or checkpointed (BATCH keeps no checkpoints); only map states exist, one per name.
 */
final class GroupStateStore implements KeyedStateStore {
    /** One group's maps, one per map state the store handed out, in that order. */
    static final class Maps {
        private final List<Map<Object, Object>> maps = new ArrayList<>(3);

        boolean isEmpty() {
            for (Map<Object, Object> map : maps) {
                if (!map.isEmpty()) {
                    return false;
                }
            }
            return true;
        }

        /** The entries of the store's {@code index}-th map state in this group (empty if none; not to be changed). */
        Map<Object, Object> entries(int index) {
            return index < maps.size() ? maps.get(index) : Map.of();
        }

        private Map<Object, Object> map(int index) {
            while (maps.size() <= index) {
                maps.add(new HashMap<>());
            }
            return maps.get(index);
        }
    }

    /** Each state's index in a group's maps, by name: asked twice for one name, the store hands out the same maps. */
    private final Map<String, Integer> states = new HashMap<>();
    private Maps selected;

    /** The group whose maps the states read and write from now on. */
    void select(Maps group) {
        this.selected = group;
    }

    @Override
    public <UK, UV> MapState<UK, UV> getMapState(MapStateDescriptor<UK, UV> descriptor) {
        return new GroupMapState<>(states.computeIfAbsent(descriptor.getName(), name -> states.size()));
    }

    private final class GroupMapState<UK, UV> implements MapState<UK, UV> {
        private final int index;

        GroupMapState(int index) {
            this.index = index;
        }

        @SuppressWarnings("unchecked")
        private Map<UK, UV> map() {
            return (Map<UK, UV>) (Map<?, ?>) selected.map(index);
        }

        @Override
        public UV get(UK key) { return map().get(key); }

        @Override
        public void put(UK key, UV value) { map().put(key, value); }

        @Override
        public void putAll(Map<UK, UV> entries) { map().putAll(entries); }

        @Override
        public void remove(UK key) { map().remove(key); }

        @Override
        public boolean contains(UK key) { return map().containsKey(key); }

        @Override
        public Iterable<Map.Entry<UK, UV>> entries() { return map().entrySet(); }

        @Override
        public Iterable<UK> keys() { return map().keySet(); }

        @Override
        public Iterable<UV> values() { return map().values(); }

        @Override
        public Iterator<Map.Entry<UK, UV>> iterator() { return map().entrySet().iterator(); }

        @Override
        public boolean isEmpty() { return map().isEmpty(); }

        @Override
        public void clear() { map().clear(); }
    }

    @Override
    public <T> ValueState<T> getState(ValueStateDescriptor<T> descriptor) {
        throw unsupported(descriptor.getName());
    }

    @Override
    public <T> ListState<T> getListState(ListStateDescriptor<T> descriptor) {
        throw unsupported(descriptor.getName());
    }

    @Override
    public <T> ReducingState<T> getReducingState(ReducingStateDescriptor<T> descriptor) {
        throw unsupported(descriptor.getName());
    }

    @Override
    public <IN, ACC, OUT> AggregatingState<IN, OUT> getAggregatingState(
            AggregatingStateDescriptor<IN, ACC, OUT> descriptor) {
        throw unsupported(descriptor.getName());
    }

    @Override
    public <T> org.apache.flink.api.common.state.v2.ValueState<T> getValueState(
            org.apache.flink.api.common.state.v2.ValueStateDescriptor<T> descriptor) {
        throw unsupported(descriptor.getStateId());
    }

    @Override
    public <T> org.apache.flink.api.common.state.v2.ListState<T> getListState(
            org.apache.flink.api.common.state.v2.ListStateDescriptor<T> descriptor) {
        throw unsupported(descriptor.getStateId());
    }

    @Override
    public <UK, UV> org.apache.flink.api.common.state.v2.MapState<UK, UV> getMapState(
            org.apache.flink.api.common.state.v2.MapStateDescriptor<UK, UV> descriptor) {
        throw unsupported(descriptor.getStateId());
    }

    @Override
    public <T> org.apache.flink.api.common.state.v2.ReducingState<T> getReducingState(
            org.apache.flink.api.common.state.v2.ReducingStateDescriptor<T> descriptor) {
        throw unsupported(descriptor.getStateId());
    }

    @Override
    public <IN, ACC, OUT> org.apache.flink.api.common.state.v2.AggregatingState<IN, OUT> getAggregatingState(
            org.apache.flink.api.common.state.v2.AggregatingStateDescriptor<IN, ACC, OUT> descriptor) {
        throw unsupported(descriptor.getStateId());
    }

    @Override
    public String getBackendTypeIdentifier() {
        return "sigma-cep-groups";
    }

    private static UnsupportedOperationException unsupported(String state) {
        return new UnsupportedOperationException("only map states live in a group's store, not " + state);
    }
}
