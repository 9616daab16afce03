package dev.sigmacep.correlate;

import dev.sigmacep.alert.Alert;
import dev.sigmacep.metrics.JobCounter;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.cep.nfa.NFA;
import org.apache.flink.cep.nfa.NFAState;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.nfa.compiler.NFACompiler;
import org.apache.flink.cep.nfa.sharedbuffer.SharedBuffer;
import org.apache.flink.cep.nfa.sharedbuffer.SharedBufferAccessor;
import org.apache.flink.cep.nfa.sharedbuffer.UncachedSharedBuffer;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.time.TimerService;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * BATCH only: the sequence correlations that share their first group-by field, in one operator keyed by that
 * field's value ({@link dev.sigmacep.detect.CorrelationOutputs#sharing}), so an event that several of them need
 * crosses one exchange and one sort instead of one each. Within a partition each correlation keeps its groups (all
 * group-by values) apart and runs Flink CEP's NFA for each exactly as {@link CappedCepOperator} runs it per key in
 * BATCH: per group and per distinct timestamp in ascending order, first {@code advanceTime} to it, then the inputs of
 * that timestamp in {@link CorrelationEventOrder}; when the partition ends, {@code advanceTime} to the end of time.
 * Each correlation's alerts leave on its own side output, with the timestamp of the input (or time) that made them.
 * <p>Flink sorts a BATCH keyed input by key, then timestamp, so a partition's inputs come together and in time
 * order: state lives on the heap, for the current partition only. A group that has had no input for longer than its
 * correlation's timespan has no partial match left that an input could extend: it is advanced to the current time
 * and dropped, so a host's state is bounded by its activity within a timespan, not by its history. The per-group
 * input cap applies in that order too ({@code correlation-state.max-inputs-per-group}; over it an input leaves on
 * {@link StateCap#OVER_CAP}). The cap on groups does not apply: as with one key at a time in BATCH, only the current
 * partition's groups hold state. Nothing is late in BATCH (the watermark moves only between keys).
 * <p>An input whose record crossed the exchange as a {@link RecordReference} gets it back from its file here, once,
 * before any correlation sees it (counted in {@code correlate.records-read-back}).
 */
public final class SharedCepOperator extends AbstractStreamOperator<Alert>
        implements OneInputStreamOperator<SharedInput, Alert>, BoundedOneInput {
    private static final long serialVersionUID = 1L;
    private static final CorrelationEventOrder ORDER = new CorrelationEventOrder();

    private final List<CorrelationPlan> plans;
    private final List<OutputTag<Alert>> alertTags;
    private final TypeSerializer<CorrelationEvent> inputSerializer;
    private final int maxInputsPerGroup;

    private transient List<Correlation> correlations;
    private transient List<Group> waiting; // groups with inputs at the current timestamp
    private transient String partition;
    private transient long millis;
    private transient TimerService cepTimers;
    private transient JobCounter overGroupCap;
    private transient RecordReadBack readBack;
    private transient JobCounter readBackRecords;

    /**
     * @param plans     the sequence correlations sharing the operator, in the members' order of {@link SharedInput}
     * @param alertTags per plan, the side output of its alerts
     */
    public SharedCepOperator(List<CorrelationPlan> plans, List<OutputTag<Alert>> alertTags,
                             TypeSerializer<CorrelationEvent> inputSerializer, int maxInputsPerGroup) {
        if (maxInputsPerGroup <= 0) {
            throw new IllegalArgumentException("caps must be positive, got " + maxInputsPerGroup);
        }
        this.plans = List.copyOf(plans);
        this.alertTags = List.copyOf(alertTags);
        this.inputSerializer = inputSerializer;
        this.maxInputsPerGroup = maxInputsPerGroup;
    }

    @Override
    public void open() throws Exception {
        super.open();
        cepTimers = () -> getProcessingTimeService().getCurrentProcessingTime();
        correlations = new ArrayList<>();
        for (int i = 0; i < plans.size(); i++) {
            correlations.add(new Correlation(plans.get(i), alertTags.get(i)));
        }
        waiting = new ArrayList<>();
        overGroupCap = JobCounter.register(getRuntimeContext(), "correlate.over-cap.inputs-per-group");
        readBack = new RecordReadBack();
        readBackRecords = JobCounter.register(getRuntimeContext(), "correlate.records-read-back");
        getMetricGroup().gauge("correlate.open-groups",
                () -> correlations.stream().mapToLong(c -> c.groups.size()).sum());
    }

    @Override
    public void processElement(StreamRecord<SharedInput> element) throws Exception {
        SharedInput shared = element.getValue();
        if (shared.recordUnread()) {
            shared = shared.withRecordReadBack(readBack);
            readBackRecords.inc();
        }
        String key = shared.partition();
        long time = element.getTimestamp();
        if (!key.equals(partition)) {
            endPartition();
            partition = key;
        } else if (time != millis) {
            if (time < millis) {
                throw new IllegalStateException("partition " + key + ": input at " + time + " ms after one at "
                        + millis + " ms; this operator needs BATCH's input sorted by key, then time");
            }
            processWaiting();
            for (Correlation correlation : correlations) {
                correlation.dropQuietGroups(time);
            }
        }
        millis = time;
        for (int i = 0; i < shared.inputs().size(); i++) {
            correlations.get(shared.members()[i]).add(shared.inputs().get(i));
        }
    }

    @Override
    public void endInput() throws Exception {
        endPartition();
    }

    @Override
    public void close() throws Exception {
        if (correlations != null) {
            for (Correlation correlation : correlations) {
                correlation.close();
            }
        }
        if (readBack != null) {
            readBack.close();
        }
        super.close();
    }

    private void endPartition() throws Exception {
        processWaiting();
        for (Correlation correlation : correlations) {
            correlation.end();
        }
        partition = null;
    }

    private void processWaiting() throws Exception {
        for (Group group : waiting) {
            group.correlation.process(group, millis);
        }
        waiting.clear();
    }

    /** One group of one correlation: its NFA state, its shared buffer's maps, its input budget. */
    private static final class Group {
        final Correlation correlation;
        final String key;
        final GroupStateStore.Maps buffer = new GroupStateStore.Maps();
        final NFAState nfa;
        final List<CorrelationEvent> inputs = new ArrayList<>(2); // at the current timestamp
        long lastMillis;
        long spanStart = Long.MIN_VALUE;
        int spanInputs;

        Group(Correlation correlation, String key, NFAState nfa) {
            this.correlation = correlation;
            this.key = key;
            this.nfa = nfa;
        }
    }

    private final class Correlation {
        final CorrelationPlan plan;
        final OutputTag<Alert> alerts;
        final NFA<CorrelationEvent> nfa;
        final AfterMatchSkipStrategy skip;
        final GroupStateStore store = new GroupStateStore();
        final SharedBuffer<CorrelationEvent> buffer;
        final long spanMillis;
        final long quietMillis; // no partial match outlives this much time without input
        final LinkedHashMap<String, Group> groups = new LinkedHashMap<>(16, 0.75f, true); // least recent input first

        Correlation(CorrelationPlan plan, OutputTag<Alert> alerts) throws Exception {
            this.plan = plan;
            this.alerts = alerts;
            Pattern<CorrelationEvent, ?> pattern = CorrelationPatterns.compile(plan);
            this.nfa = NFACompiler.compileFactory(pattern, false).createNFA();
            this.nfa.open(getRuntimeContext(), new Configuration());
            this.skip = pattern.getAfterMatchSkipStrategy();
            this.buffer = new UncachedSharedBuffer<>(store, inputSerializer); // heap maps: Flink's caches only cost
            this.spanMillis = Math.max(1, plan.timespan().toMillis());
            this.quietMillis = Math.max(spanMillis, nfa.getWindowTime());
        }

        void add(CorrelationEvent input) {
            Group group = groups.get(input.key());
            if (group == null) {
                group = new Group(this, input.key(), nfa.createInitialNFAState());
                groups.put(input.key(), group);
            }
            if (group.inputs.isEmpty()) {
                waiting.add(group);
            }
            group.inputs.add(input);
        }

        void process(Group group, long time) throws Exception {
            store.select(group.buffer);
            advanceTime(group, time);
            group.inputs.sort(ORDER);
            for (CorrelationEvent input : group.inputs) {
                if (admit(group, input, time)) {
                    try (SharedBufferAccessor<CorrelationEvent> accessor = buffer.getAccessor()) {
                        emit(nfa.process(accessor, group.nfa, input, time, skip, cepTimers), time);
                    }
                }
            }
            group.inputs.clear();
            group.lastMillis = time;
            group.nfa.resetStateChanged();
            group.nfa.resetNewStartPartialMatch();
        }

        private void advanceTime(Group group, long time) throws Exception {
            try (SharedBufferAccessor<CorrelationEvent> accessor = buffer.getAccessor()) {
                emit(nfa.advanceTime(accessor, group.nfa, time, skip).f0, time);
            }
        }

        /** The group's input budget, as {@link GroupBudgets} keeps it: a span opens with an input at or after its end. */
        private boolean admit(Group group, CorrelationEvent input, long time) {
            if (group.spanStart == Long.MIN_VALUE || time >= group.spanStart + spanMillis) {
                group.spanStart = time;
                group.spanInputs = 0;
            } else if (group.spanInputs >= maxInputsPerGroup) {
                overGroupCap.inc();
                output.collect(StateCap.OVER_CAP, new StreamRecord<>(GroupBudgets.overCapRecord(plan.rule().id(),
                        plan.displayName(), input, GroupBudgets.tooManyInputs(maxInputsPerGroup)), time));
                return false;
            }
            group.spanInputs++;
            return true;
        }

        private void emit(Collection<Map<String, List<CorrelationEvent>>> matches, long time) {
            for (Map<String, List<CorrelationEvent>> match : matches) {
                output.collect(alerts, new StreamRecord<>(CorrelationAlertFunction.alertOf(plan, match), time));
            }
        }

        /**
         * Drops the groups whose last input is more than a timespan before {@code time}: advanced to it, they hold no
         * partial match, and a later input starts afresh exactly as it would have continued. (An advance gives a
         * match only for a sequence that ends with an absence, which the planner refuses, so dropping early moves
         * no alert's time.)
         */
        void dropQuietGroups(long time) throws Exception {
            List<Group> kept = null;
            Iterator<Map.Entry<String, Group>> oldestFirst = groups.entrySet().iterator();
            while (oldestFirst.hasNext()) {
                Map.Entry<String, Group> entry = oldestFirst.next();
                Group group = entry.getValue();
                if (time - group.lastMillis <= quietMillis) {
                    break;
                }
                store.select(group.buffer);
                advanceTime(group, time);
                oldestFirst.remove();
                if (!group.buffer.isEmpty()) { // not expected: keep it, and look again a timespan later
                    group.lastMillis = time;
                    kept = kept == null ? new ArrayList<>() : kept;
                    kept.add(group);
                }
            }
            if (kept != null) {
                for (Group group : kept) {
                    groups.put(group.key, group);
                }
            }
        }

        /** The partition ends: every group advances to the end of time, as the watermark does between keys. */
        void end() throws Exception {
            for (Group group : groups.values()) {
                store.select(group.buffer);
                advanceTime(group, Long.MAX_VALUE);
            }
            groups.clear();
        }

        void close() throws Exception {
            nfa.close();
            buffer.releaseCacheStatisticsTimer();
        }
    }
}
