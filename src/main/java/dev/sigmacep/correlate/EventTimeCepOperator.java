package dev.sigmacep.correlate;

import dev.sigmacep.alert.Alert;
import org.apache.flink.api.common.state.KeyedStateStore;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.base.array.BytePrimitiveArraySerializer;
import org.apache.flink.api.common.typeutils.base.ListSerializer;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.cep.configuration.SharedBufferCacheConfig;
import org.apache.flink.cep.nfa.NFA;
import org.apache.flink.cep.nfa.NFAState;
import org.apache.flink.cep.nfa.NFAStateSerializer;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.nfa.compiler.NFACompiler;
import org.apache.flink.cep.nfa.sharedbuffer.SharedBuffer;
import org.apache.flink.cep.nfa.sharedbuffer.SharedBufferAccessor;
import org.apache.flink.cep.nfa.sharedbuffer.TimerPrunedSharedBuffer;
import org.apache.flink.cep.nfa.sharedbuffer.UncachedSharedBuffer;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.time.TimerService;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * A sequence correlation in a streaming job: Flink CEP's NFA with the plan's pattern ({@link CorrelationPatterns}),
 * run in event time as Flink's {@code CepOperator} runs it, on the same keyed state, and finding the same alerts
 * (the timestamp of the input that completed them) and late inputs. What differs is how inputs wait for the
 * watermark. {@code CepOperator} keeps them per key in a map state by timestamp and registers an event-time timer
 * for each distinct timestamp of each key; at 200,000 hosts its timer heap and state lookups were most of its time
 * ({@code docs/benchmarks.md}, round 12). Here the waiting inputs of all keys form one queue in time order
 * ({@link TimeQueue}), and a watermark takes the inputs at or before it from its head, in order: per key, by
 * time, then {@link CorrelationEventOrder}, each after advancing the key's NFA to its time.
 * <p>The queue holds the inputs themselves, and a snapshot writes those not yet stored into the map state
 * {@code CepOperator} keeps them in (under its name, by key and timestamp); the queue keeps them too, so the watermark
 * only removes the stored copy. Off the heap backend (RocksDB) that holds for the first {@link #MAX_HELD_ON_HEAP}
 * waiting inputs; further ones go to the map state as they arrive, as with {@code CepOperator}, and the queue holds
 * an entry without the input for each (writing each input into RocksDB and reading it back moments later was a
 * quarter of the operator's time at 200,000 hosts, {@code docs/benchmarks.md}, rounds 15 and 16). A restore refills
 * the queue from the map state. On the heap,
 * too, a key's NFA state and shared buffer are plain objects from their first use after a snapshot until the next
 * snapshot writes them back ({@link HeapGroups}); elsewhere they are read and written in the keyed state as they
 * change ({@link KeyedGroups}). The NFA states, the shared buffer's maps, the waiting inputs' map state and the timer
 * service carry {@code CepOperator}'s names and serializers, so a savepoint of either operator restores into this
 * one. Its timers prune (and, below, drop records kept apart): at the end of the timespan of each partial match a
 * start opens, the key's NFA advances to the watermark so that expired partial matches leave the state. On the heap
 * these wait in a second time queue, and a snapshot makes those still due event-time timers (in the snapshot, and
 * under {@code CepOperator}'s timer service); elsewhere each is a timer at once, as with {@code CepOperator}.
 * <p>Elsewhere, too, the records stay out of Flink CEP's buffer: the buffer reads and rewrites an input at every step
 * of each partial match that holds it, and on RocksDB a record of a few KB made those reads most of the time once the
 * open chains outgrew RocksDB's cache ({@code docs/benchmarks.md}, round 13). An input leaves the waiting inputs'
 * map state for the NFA as an input that only says where its records are ({@link CorrelationEvent#withRecordsApart}):
 * in a map state of the key's records by timestamp, written once, read back for an alert, and removed by a timer of
 * its own ({@code input-records-expiry}) a timespan after it, when no partial match can hold the input any longer. And
 * the buffer's counts of events per timestamp go at the pruning timers, not at every advance of the NFA
 * ({@link TimerPrunedSharedBuffer}: on RocksDB each of Flink's walks over them is a seek past deleted entries).
 * <p>Keyed by the group: its key's text, or behind an exchange that sequences share, a {@link GroupKey}.
 * STREAMING only: BATCH runs {@link CappedCepOperator} or {@link SharedCepOperator}.
 */
public final class EventTimeCepOperator extends AbstractStreamOperator<Alert>
        implements OneInputStreamOperator<CorrelationEvent, Alert>, Triggerable<Object, VoidNamespace> {
    private static final long serialVersionUID = 1L;
    // Flink CEP's CepOperator's names (Flink 2.2): savepoints move between the two operators
    static final String NFA_STATE = "nfaStateName";
    static final String WAITING_INPUTS = "eventQueuesStateName";
    static final String TIMERS = "watermark-callbacks";
    static final String INPUT_RECORDS = "inputRecords";
    private static final String RECORD_TIMERS = "input-records-expiry";
    private static final String WATERMARKS = "watermarks";
    /**
     * Off the heap backend, how many waiting inputs stay on the heap (about 2 KB each with their records) before
     * further ones go to the keyed state as they arrive: so many cover the default two minutes of disorder at about
     * 160 inputs per second, and a watermark that stops moving cannot fill the heap.
     */
    static final int MAX_HELD_ON_HEAP = 20_000;
    private static final Comparator<Due> DUE_ORDER =
            Comparator.comparing(Due::input, new CorrelationEventOrder()::compare);

    private final CorrelationPlan plan;
    private final TypeSerializer<CorrelationEvent> inputSerializer;
    private final OutputTag<CorrelationEvent> late;

    private transient NFA<CorrelationEvent> nfa;
    private transient AfterMatchSkipStrategy skip;
    private transient ValueState<NFAState> nfaStates;
    private transient MapState<Long, List<CorrelationEvent>> storedInputs;
    private transient MapState<Long, List<List<byte[]>>> inputRecords; // by timestamp, in the order stored
    private transient boolean recordsApart; // inputs enter the NFA without their records, kept in inputRecords
    private transient ListState<Long> watermarks; // each subtask's, in a snapshot
    private transient long restoredWatermark; // the highest of those restored: records may be kept up to it
    private transient long untimedCountsUpTo; // buffer counts up to this time may have no records timer (restored)
    private transient Groups groups;
    private transient InternalTimerService<VoidNamespace> timers;
    private transient InternalTimerService<VoidNamespace> recordTimers; // when records kept apart can go
    private transient TimerService cepTimers;
    private transient TimeQueue<Pending> waiting;
    private transient TimeQueue<Expiry> expiries; // on the heap: pruning due, not yet a timer
    private transient boolean onHeap; // waiting inputs and groups in use stay on the heap, stored only by snapshots
    private transient int heldOnHeap; // elsewhere: waiting inputs on the heap (a snapshot may have stored them too)

    /**
     * @param inputs the serializer of the keyed stream's inputs (waiting inputs and partial matches are state)
     * @param late   where inputs at or behind the watermark go
     */
    public EventTimeCepOperator(CorrelationPlan plan, TypeSerializer<CorrelationEvent> inputs,
                                OutputTag<CorrelationEvent> late) {
        this.plan = plan;
        this.inputSerializer = inputs;
        this.late = Objects.requireNonNull(late, "late");
    }

    /** One input due, with its key; {@code index}: its place among the stored inputs of its key and time, or -1. */
    private record Due(Object key, CorrelationEvent input, int index) {
    }

    /**
     * One input waiting for the watermark. Its input is null where only the keyed state holds it: off the heap
     * backend, an input stored as it arrived beyond {@link #MAX_HELD_ON_HEAP}, or the inputs of a key and time
     * restored (one entry stands for all of them).
     */
    private static final class Pending {
        final Object key;
        final long millis;
        CorrelationEvent input;
        /** The keyed state holds it too (written by a snapshot, restored, or kept there from its arrival). */
        boolean stored;

        Pending(Object key, long millis, CorrelationEvent input, boolean stored) {
            this.key = key;
            this.millis = millis;
            this.input = input;
            this.stored = stored;
        }
    }

    /** When a partial match of the key expires: its NFA then advances so that it leaves the state. */
    private record Expiry(Object key, long millis) {
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        KeyedStateStore store = context.getKeyedStateStore();
        String backend = store.getBackendTypeIdentifier();
        if ("batch".equals(backend)) {
            throw new IllegalStateException("EventTimeCepOperator runs in STREAMING; BATCH runs CappedCepOperator");
        }
        onHeap = "hashmap".equals(backend);
        nfaStates = store.getState(new ValueStateDescriptor<>(NFA_STATE, new NFAStateSerializer()));
        storedInputs = store.getMapState(new MapStateDescriptor<>(WAITING_INPUTS, LongSerializer.INSTANCE,
                new ListSerializer<>(inputSerializer)));
        inputRecords = store.getMapState(new MapStateDescriptor<>(INPUT_RECORDS, LongSerializer.INSTANCE,
                new ListSerializer<>(new ListSerializer<>(BytePrimitiveArraySerializer.INSTANCE))));
        groups = onHeap ? new HeapGroups(store) : new KeyedGroups(store);
        waiting = new TimeQueue<>();
        expiries = new TimeQueue<>();
        watermarks = context.getOperatorStateStore().getUnionListState(
                new ListStateDescriptor<>(WATERMARKS, LongSerializer.INSTANCE));
        restoredWatermark = Long.MIN_VALUE;
        boolean watermarksRestored = false;
        for (Long watermark : watermarks.get()) {
            restoredWatermark = Math.max(restoredWatermark, watermark);
            watermarksRestored = true;
        }
        // a savepoint without them (Flink's CepOperator's) may hold counts of any time
        untimedCountsUpTo = context.isRestored() && !watermarksRestored ? Long.MAX_VALUE : restoredWatermark;
        if (context.isRestored()) {
            refillQueue();
        }
    }

    /** The inputs the restored state holds for this subtask's keys join the queue, marked as stored. */
    private void refillQueue() throws Exception {
        List<Object> keys;
        try (Stream<Object> stored = getKeyedStateBackend().getKeys(WAITING_INPUTS, VoidNamespace.INSTANCE)) {
            keys = stored.toList();
        }
        for (Object key : keys) {
            setCurrentKey(key);
            for (Map.Entry<Long, List<CorrelationEvent>> atTime : storedInputs.entries()) {
                if (onHeap) {
                    for (CorrelationEvent input : atTime.getValue()) {
                        waiting.add(atTime.getKey(), new Pending(key, atTime.getKey(), input, true));
                    }
                } else {
                    waiting.add(atTime.getKey(), new Pending(key, atTime.getKey(), null, true));
                }
            }
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        timers = getInternalTimerService(TIMERS, VoidNamespaceSerializer.INSTANCE, this);
        recordTimers = getInternalTimerService(RECORD_TIMERS, VoidNamespaceSerializer.INSTANCE, new RecordsExpiry());
        cepTimers = () -> getProcessingTimeService().getCurrentProcessingTime();
        Pattern<CorrelationEvent, ?> pattern = CorrelationPatterns.compile(plan);
        nfa = NFACompiler.compileFactory(pattern, false).createNFA();
        nfa.open(getRuntimeContext(), new Configuration());
        skip = pattern.getAfterMatchSkipStrategy();
        recordsApart = !onHeap && nfa.getWindowTime() > 0; // on the heap the buffer holds the inputs as objects
        getMetricGroup().gauge("correlate.waiting-inputs", () -> waiting.size());
    }

    @Override
    public boolean useInterruptibleTimers() {
        return true; // as CepOperator: a checkpoint need not wait for every pruning timer of a watermark
    }

    @Override
    public void close() throws Exception {
        if (nfa != null) {
            nfa.close();
        }
        if (groups != null) {
            groups.buffer().releaseCacheStatisticsTimer();
        }
        super.close();
    }

    @Override
    public void processElement(StreamRecord<CorrelationEvent> element) throws Exception {
        long time = element.getTimestamp();
        if (time <= timers.currentWatermark()) {
            output.collect(late, element);
            return;
        }
        Object key = getCurrentKey();
        if (onHeap || heldOnHeap < MAX_HELD_ON_HEAP) {
            waiting.add(time, new Pending(key, time, element.getValue(), false));
            if (!onHeap) {
                heldOnHeap++;
            }
            return;
        }
        List<CorrelationEvent> atTime = storedInputs.get(time);
        if (atTime == null) {
            atTime = new ArrayList<>(1);
        }
        atTime.add(element.getValue());
        storedInputs.put(time, atTime);
        waiting.add(time, new Pending(key, time, null, true));
    }

    /** The inputs the watermark passes go through the NFA before its timers fire and it moves on. */
    @Override
    public void processWatermark(Watermark mark) throws Exception {
        List<Pending> due = waiting.takeUpTo(mark.getTimestamp());
        for (Pending pending : due) {
            if (!onHeap && pending.input != null) {
                heldOnHeap--;
            }
        }
        for (int first = 0; first < due.size(); ) {
            long time = due.get(first).millis;
            int end = endOfTime(due, first);
            Pending only = due.get(first);
            // the first time the NFA sees, unless inputs replayed after a restore come behind the restored watermark
            groups.freshTime(time > untimedCountsUpTo ? time : Long.MIN_VALUE);
            if (end - first == 1 && !only.stored && !recordsApart) {
                process(only.key, only.input, time);
            } else {
                List<Due> atTime = inputsAt(due.subList(first, end), time);
                atTime.sort(DUE_ORDER); // stable: a key's inputs that compare equal keep their arrival order
                for (Due input : atTime) {
                    process(input.key(), input.index() >= 0
                            ? input.input().withRecordsApart(time, input.index()) : input.input(), time);
                }
            }
            first = end;
        }
        groups.freshTime(Long.MIN_VALUE);
        for (Expiry expiry : expiries.takeUpTo(mark.getTimestamp())) {
            prune(expiry.key(), mark.getTimestamp(), expiry.millis());
        }
        super.processWatermark(mark);
    }

    /**
     * The inputs of one timestamp, key by key ({@link #take}), and with the records kept apart, each key's records of
     * that time stored together.
     */
    private List<Due> inputsAt(List<Pending> pendingAtTime, long time) throws Exception {
        List<Due> inputs = new ArrayList<>(pendingAtTime.size());
        for (Map.Entry<Object, List<Pending>> ofKey : byKey(pendingAtTime).entrySet()) {
            Object key = ofKey.getKey();
            List<CorrelationEvent> atTime = take(key, time, ofKey.getValue());
            int first = recordsApart ? keepRecords(time, atTime) : -1;
            for (int i = 0; i < atTime.size(); i++) {
                inputs.add(new Due(key, atTime.get(i), recordsApart ? first + i : -1));
            }
        }
        return inputs;
    }

    /** In waiting inputs ordered by time: the index after the last one at the time of the one at {@code first}. */
    private static int endOfTime(List<Pending> inTimeOrder, int first) {
        long time = inTimeOrder.get(first).millis;
        int end = first + 1;
        while (end < inTimeOrder.size() && inTimeOrder.get(end).millis == time) {
            end++;
        }
        return end;
    }

    /** Waiting inputs of one timestamp by key, each key's in arrival order. */
    private static Map<Object, List<Pending>> byKey(List<Pending> pendingAtTime) {
        Map<Object, List<Pending>> byKey = new LinkedHashMap<>();
        for (Pending pending : pendingAtTime) {
            byKey.computeIfAbsent(pending.key, key -> new ArrayList<>(1)).add(pending);
        }
        return byKey;
    }

    /**
     * A key's inputs of one timestamp, all due now, out of the keyed state (the current key is the key from here on
     * where state is read or written). Those on the heap need no read, a copy a snapshot stored is only removed; off
     * the heap backend the keyed state's list is the one copy of those stored on arrival or restored.
     */
    private List<CorrelationEvent> take(Object key, long time, List<Pending> pendings) throws Exception {
        boolean stored = false;
        boolean allOnHeap = true;
        for (Pending pending : pendings) {
            stored |= pending.stored;
            allOnHeap &= pending.input != null;
        }
        if (stored || recordsApart) {
            setCurrentKey(key);
        }
        List<CorrelationEvent> atTime = new ArrayList<>(pendings.size());
        if (!allOnHeap) { // the keyed state's list is the one copy of some: it has every stored one, in order
            atTime.addAll(Objects.requireNonNull(storedInputs.get(time), "stored inputs"));
        }
        for (Pending pending : pendings) {
            if (allOnHeap || !pending.stored) {
                atTime.add(pending.input);
            }
        }
        if (stored) {
            storedInputs.remove(time);
        }
        return atTime;
    }

    /**
     * The current key's records of these inputs of one timestamp join those kept apart; returns the index of the
     * first. Records of the key and time can be kept already only after a restore, when an input replayed from the
     * sources can come behind the watermark of the run that took the snapshot (an operator's watermark starts again
     * with the sources'); only then does this read what is kept (on RocksDB a read of a key that is not there costs
     * as much as an input, a write costs little).
     */
    private int keepRecords(long time, List<CorrelationEvent> inputs) throws Exception {
        List<List<byte[]>> kept = time <= restoredWatermark ? inputRecords.get(time) : null;
        if (kept == null) {
            kept = new ArrayList<>(inputs.size());
            recordTimers.registerEventTimeTimer(VoidNamespace.INSTANCE, time + nfa.getWindowTime());
        }
        int first = kept.size();
        for (CorrelationEvent input : inputs) {
            kept.add(input.records());
        }
        inputRecords.put(time, kept);
        return first;
    }

    private void process(Object key, CorrelationEvent input, long time) throws Exception {
        NFAState state = groups.select(key);
        advanceTime(key, state, time);
        try (SharedBufferAccessor<CorrelationEvent> accessor = groups.buffer().getAccessor()) {
            emit(key, nfa.process(accessor, state, input, time, skip, cepTimers), time);
        }
        if (nfa.getWindowTime() > 0 && state.isNewStartPartialMatch()) {
            long expiry = time + nfa.getWindowTime();
            if (onHeap) {
                expiries.add(expiry, new Expiry(key, expiry));
            } else {
                timers.registerEventTimeTimer(VoidNamespace.INSTANCE, expiry); // KeyedGroups.select set the key
            }
        }
        groups.update(state);
    }

    /**
     * The key's NFA advances to the watermark, so that its expired partial matches leave the state (also at its
     * start: on the heap the advance drops the buffer's counts of events behind the watermark).
     */
    private void prune(Object key, long watermark, long due) throws Exception {
        NFAState state = groups.select(key);
        advanceTime(key, state, watermark);
        if (due - nfa.getWindowTime() <= untimedCountsUpTo) {
            groups.pruneCounts(watermark); // the partial match began before a restore: counts without a records timer
        }
        groups.update(state);
    }

    /** A pruning timer (or one of {@code CepOperator}'s, restored): the key's NFA advances to the watermark. */
    @Override
    public void onEventTime(InternalTimer<Object, VoidNamespace> timer) throws Exception {
        prune(timer.getKey(), timers.currentWatermark(), timer.getTimestamp());
    }

    @Override
    public void onProcessingTime(InternalTimer<Object, VoidNamespace> timer) {
        // never registered: event time only
    }

    private void advanceTime(Object key, NFAState state, long time) throws Exception {
        try (SharedBufferAccessor<CorrelationEvent> accessor = groups.buffer().getAccessor()) {
            emit(key, nfa.advanceTime(accessor, state, time, skip).f0, time);
        }
    }

    /** As {@code CepOperator}: a key whose NFA is back at its start holds no NFA state. */
    private static boolean atStart(NFAState state) {
        return state.getPartialMatches().size() == 1 && state.getCompletedMatches().isEmpty();
    }

    private void emit(Object key, Collection<Map<String, List<CorrelationEvent>>> matches, long time)
            throws Exception {
        for (Map<String, List<CorrelationEvent>> match : matches) {
            output.collect(new StreamRecord<>(CorrelationAlertFunction.alertOf(plan, withRecords(key, match)), time));
        }
    }

    /** The match with the records of its inputs that kept them apart. */
    private Map<String, List<CorrelationEvent>> withRecords(Object key, Map<String, List<CorrelationEvent>> match)
            throws Exception {
        if (match.values().stream().flatMap(List::stream).noneMatch(CorrelationEvent::recordsApart)) {
            return match;
        }
        setCurrentKey(key); // on the heap, groups are selected without it
        Map<Long, List<List<byte[]>>> kept = new HashMap<>();
        Map<String, List<CorrelationEvent>> complete = new HashMap<>();
        for (Map.Entry<String, List<CorrelationEvent>> step : match.entrySet()) {
            List<CorrelationEvent> inputs = new ArrayList<>(step.getValue().size());
            for (CorrelationEvent input : step.getValue()) {
                if (!input.recordsApart()) {
                    inputs.add(input);
                    continue;
                }
                List<List<byte[]>> atTime = kept.get(input.recordsTime());
                if (atTime == null) {
                    atTime = Objects.requireNonNull(inputRecords.get(input.recordsTime()),
                            () -> "no records kept for " + input);
                    kept.put(input.recordsTime(), atTime);
                }
                inputs.add(input.withRecords(atTime.get(input.recordsIndex())));
            }
            complete.put(step.getKey(), inputs);
        }
        return complete;
    }

    /** The waiting inputs not stored yet go into the map state the snapshot takes with it. */
    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        watermarks.update(List.of(Math.max(timers.currentWatermark(), restoredWatermark)));
        groups.writeBack();
        List<Pending> items = waiting.items(); // by time, then arrival
        for (int first = 0; first < items.size(); ) {
            long time = items.get(first).millis;
            int end = endOfTime(items, first);
            for (Map.Entry<Object, List<Pending>> ofKey : byKey(items.subList(first, end)).entrySet()) {
                store(ofKey.getKey(), time, ofKey.getValue());
            }
            first = end;
        }
        for (Expiry expiry : expiries.items()) { // timers from now on: they are in the snapshot
            setCurrentKey(expiry.key());
            timers.registerEventTimeTimer(VoidNamespace.INSTANCE, expiry.millis());
        }
        expiries.clear();
    }

    /**
     * A key's waiting inputs of one timestamp go into the map state, and those on the heap stay there too: when the
     * watermark takes them, their stored copy is only removed (on RocksDB two reads saved per input that a checkpoint
     * finds waiting, which with minutes of disorder and checkpoints every 30 s is nearly every one). Where all are on
     * the heap their list is written whole, without reading the part an earlier snapshot wrote.
     */
    private void store(Object key, long time, List<Pending> pendings) throws Exception {
        boolean unstored = false;
        boolean allOnHeap = true;
        for (Pending pending : pendings) {
            unstored |= !pending.stored;
            allOnHeap &= pending.input != null;
        }
        if (!unstored) {
            return;
        }
        setCurrentKey(key);
        List<CorrelationEvent> atTime = allOnHeap ? new ArrayList<>(pendings.size())
                : new ArrayList<>(Objects.requireNonNull(storedInputs.get(time), "stored inputs"));
        for (Pending pending : pendings) {
            if (allOnHeap || !pending.stored) {
                atTime.add(pending.input);
            }
            pending.stored = true;
        }
        storedInputs.put(time, atTime);
    }

    /** Where the operator finds each key's NFA state and shared buffer. */
    private interface Groups {
        /** The key's NFA state (at its start if it has none); from now on the buffer holds the key's partial matches. */
        NFAState select(Object key) throws Exception;

        SharedBuffer<CorrelationEvent> buffer();

        /**
         * After the selected key's NFA advanced to the watermark on a pruning timer of a partial match that began
         * before a restore: the buffer's counts of events behind it go.
         */
        void pruneCounts(long watermark) throws Exception;

        /** The current key's buffer count of events at this time goes: no event can arrive or be held there now. */
        void expired(long time) throws Exception;

        /** No key has a buffer count of events at this time yet ({@link Long#MIN_VALUE}: from now on, none). */
        void freshTime(long time);

        /** After the NFA ran on the selected key. */
        void update(NFAState state) throws Exception;

        /** Before a snapshot: whatever the keyed state does not hold yet goes there. */
        void writeBack() throws Exception;
    }

    /**
     * A timespan after its time no partial match holds an input any longer (each expires a timespan after its first
     * input), so the records kept of that time go, and so does the shared buffer's count of events at that time: the
     * inputs that made every count since the start or a restore kept their records here, so each such count has this
     * timer (counts restored go at the pruning timers, {@link #prune}); the timer service set the key. Alerts come
     * from inputs, which a watermark runs before any timer: Flink CEP emits a match on a timer only for a pattern that
     * ends in a negation, and {@link CorrelationPatterns} makes none (were it to, {@link #withRecords} fails loudly,
     * never silently).
     */
    private final class RecordsExpiry implements Triggerable<Object, VoidNamespace> {
        @Override
        public void onEventTime(InternalTimer<Object, VoidNamespace> timer) throws Exception {
            long time = timer.getTimestamp() - nfa.getWindowTime();
            inputRecords.remove(time);
            groups.expired(time);
        }

        @Override
        public void onProcessingTime(InternalTimer<Object, VoidNamespace> timer) {
            // never registered
        }
    }

    /**
     * Straight in the keyed state, as {@code CepOperator} keeps them, with Flink's caches in front of the buffer.
     * With a timespan, the buffer's counts of events per timestamp go at the pruning timers, not at every advance.
     */
    private final class KeyedGroups implements Groups {
        private final SharedBuffer<CorrelationEvent> buffer;
        private final TimerPrunedSharedBuffer<CorrelationEvent> timerPruned; // the buffer, with a timespan; else null

        KeyedGroups(KeyedStateStore store) {
            SharedBufferCacheConfig caches = SharedBufferCacheConfig.of(getOperatorConfig().getConfiguration());
            this.timerPruned = plan.timespan().toMillis() > 0 ? new TimerPrunedSharedBuffer<>(store, inputSerializer,
                    caches, EventTimeCepOperator.this::getCurrentKey) : null;
            this.buffer = timerPruned != null ? timerPruned : new SharedBuffer<>(store, inputSerializer, caches);
        }

        @Override
        public NFAState select(Object key) throws Exception {
            setCurrentKey(key);
            NFAState state = nfaStates.value();
            return state != null ? state : nfa.createInitialNFAState();
        }

        @Override
        public SharedBuffer<CorrelationEvent> buffer() {
            return buffer;
        }

        @Override
        public void update(NFAState state) throws Exception {
            if (atStart(state)) {
                nfaStates.clear();
            } else if (state.isStateChanged()) {
                state.resetStateChanged();
                state.resetNewStartPartialMatch();
                nfaStates.update(state);
            }
        }

        @Override
        public void pruneCounts(long watermark) throws Exception {
            if (timerPruned != null) {
                timerPruned.pruneCounts(watermark);
            }
        }

        @Override
        public void expired(long time) throws Exception {
            if (timerPruned != null) {
                timerPruned.removeCount(time);
            }
        }

        @Override
        public void freshTime(long time) {
            if (timerPruned != null) {
                timerPruned.freshTime(time);
            }
        }

        @Override
        public void writeBack() {
            // written as they changed
        }
    }

    /**
     * On the heap: a key's NFA state and shared buffer are plain objects ({@link GroupStateStore}'s maps) from the
     * first input or timer that needs them after a snapshot until the next snapshot writes them back into the keyed
     * state, under {@code CepOperator}'s names. An input costs one hash lookup for its key instead of one per state
     * access (a dozen through Flink's heap state). Groups back at their start with nothing buffered leave the
     * memory; those the keyed state holds stay until the write-back clears them there.
     */
    private final class HeapGroups implements Groups {
        private final Map<Object, Group> inUse = new HashMap<>();
        private final GroupStateStore memory = new GroupStateStore();
        private final SharedBuffer<CorrelationEvent> buffer = new UncachedSharedBuffer<>(memory, inputSerializer);
        private final List<MapState<Object, Object>> keyedMaps = new ArrayList<>(); // the buffer's states ...
        private final List<MapState<Object, Object>> groupMaps = new ArrayList<>(); // ... and the selected group's
        private Group selected;

        @SuppressWarnings("unchecked")
        HeapGroups(KeyedStateStore keyed) {
            for (MapStateDescriptor<?, ?> state : UncachedSharedBuffer.mapStates(inputSerializer)) {
                keyedMaps.add((MapState<Object, Object>) (MapState<?, ?>) keyed.getMapState(state));
                groupMaps.add((MapState<Object, Object>) (MapState<?, ?>) memory.getMapState(state));
            }
        }

        @Override
        public NFAState select(Object key) throws Exception {
            Group group = inUse.get(key);
            if (group == null) {
                group = load(key);
                inUse.put(key, group);
            }
            memory.select(group.maps);
            selected = group;
            return group.nfa;
        }

        private Group load(Object key) throws Exception {
            setCurrentKey(key);
            NFAState state = nfaStates.value();
            Group group = new Group(key, state != null ? state : nfa.createInitialNFAState(), state != null);
            memory.select(group.maps);
            for (int i = 0; i < keyedMaps.size(); i++) {
                copy(keyedMaps.get(i), groupMaps.get(i));
            }
            group.stored |= !group.maps.isEmpty();
            return group;
        }

        @Override
        public SharedBuffer<CorrelationEvent> buffer() {
            return buffer;
        }

        @Override
        public void pruneCounts(long watermark) {
            // the buffer's advance dropped them already: on the heap a walk over them costs little
        }

        @Override
        public void expired(long time) {
            // as above; and records are never kept apart on the heap
        }

        @Override
        public void freshTime(long time) {
            // on the heap a count is read from a hash map
        }

        @Override
        public void update(NFAState state) {
            state.resetStateChanged();
            state.resetNewStartPartialMatch();
            if (!selected.stored && atStart(state) && selected.maps.isEmpty()) {
                inUse.remove(selected.key);
            }
        }

        /**
         * Every group in use goes into the keyed state, each map in one write; what the keyed state held is cleared
         * only for groups read back from it (a group new since the last snapshot has nothing there to clear).
         */
        @Override
        public void writeBack() throws Exception {
            for (Group group : inUse.values()) {
                setCurrentKey(group.key);
                if (!atStart(group.nfa)) {
                    nfaStates.update(group.nfa);
                } else if (group.stored) {
                    nfaStates.clear();
                }
                for (int i = 0; i < keyedMaps.size(); i++) {
                    Map<Object, Object> entries = group.maps.entries(i);
                    if (group.stored) {
                        keyedMaps.get(i).clear();
                    }
                    if (!entries.isEmpty()) {
                        keyedMaps.get(i).putAll(entries);
                    }
                }
            }
            inUse.clear(); // the keyed state holds them now, and hands out copies while the snapshot is written
        }

        private static void copy(MapState<Object, Object> from, MapState<Object, Object> to) throws Exception {
            for (Map.Entry<Object, Object> entry : from.entries()) {
                to.put(entry.getKey(), entry.getValue());
            }
        }
    }

    /** A key's NFA state and shared buffer on the heap; {@code stored}: the keyed state holds a version of them. */
    private static final class Group {
        final Object key;
        final NFAState nfa;
        final GroupStateStore.Maps maps = new GroupStateStore.Maps();
        boolean stored;

        Group(Object key, NFAState nfa, boolean stored) {
            this.key = key;
            this.nfa = nfa;
            this.stored = stored;
        }
    }
}
