package dev.sigmacep.correlate;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import java.util.List;

/**
 * Streaming: hands each input of a {@link SharedInput}, which crossed the exchange keyed by its partition value once
 * for all the sequences that share it, to its own sequence's side output, at the event's time. Each sequence's
 * operators run chained behind it, keyed by {@link GroupKey}s that fall in their partition's key group: no exchange of
 * their own, and the record they hold is the one this subtask read. Stateless.
 */
public final class SharedInputFanOut extends KeyedProcessFunction<String, SharedInput, CorrelationEvent> {
    private static final long serialVersionUID = 1L;

    private final List<OutputTag<CorrelationEvent>> members;
    private final GroupKeys groupKeys;

    /**
     * @param members   per member of the shared operator (its position in {@link SharedInput#members}), its output
     * @param groupKeys the keys of the members' operators
     */
    public SharedInputFanOut(List<OutputTag<CorrelationEvent>> members, GroupKeys groupKeys) {
        this.members = List.copyOf(members);
        this.groupKeys = groupKeys;
    }

    /**
     * Refuses a max parallelism at which the members' keys would leave their partition's key group: one the job did
     * not configure, as when Flink takes a savepoint's over an unset {@code pipeline.max-parallelism}.
     */
    @Override
    public void open(OpenContext context) {
        int maxParallelism = getRuntimeContext().getTaskInfo().getMaxNumberOfParallelSubtasks();
        if (!groupKeys.keepsKeyGroupsAt(maxParallelism)) {
            throw new IllegalStateException("this job's correlations were built for another max parallelism than the "
                    + maxParallelism + " it runs at (a savepoint's?): set pipeline.max-parallelism: " + maxParallelism);
        }
    }

    @Override
    public void processElement(SharedInput value, Context context, Collector<CorrelationEvent> out) {
        if (value.recordUnread()) { // CorrelationOutputs.byPartition never sends references
            throw new IllegalStateException("a streaming correlation input came without its record: " + value.reference());
        }
        for (int i = 0; i < value.members().length; i++) {
            context.output(members.get(value.members()[i]), value.inputs().get(i));
        }
    }
}
