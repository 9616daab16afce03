package dev.sigmacep.correlate;

import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import java.util.List;

/**
 * Streaming: hands each input of a {@link SharedInput}, which crossed the exchange keyed by its partition value once
 * for all the sequences that share it, to its own sequence's side output, at the event's time. Each sequence's
 * operators run chained behind it, keyed by {@link GroupKey} (the group, hashed as the partition): no exchange of
 * their own, and the record they hold is the one this subtask read. Stateless.
 */
public final class SharedInputFanOut extends KeyedProcessFunction<String, SharedInput, CorrelationEvent> {
    private static final long serialVersionUID = 1L;

    private final List<OutputTag<CorrelationEvent>> members;

    /** @param members per member of the shared operator (its position in {@link SharedInput#members}), its output */
    public SharedInputFanOut(List<OutputTag<CorrelationEvent>> members) {
        this.members = List.copyOf(members);
    }

    @Override
    public void processElement(SharedInput value, Context context, Collector<CorrelationEvent> out) {
        for (int i = 0; i < value.members().length; i++) {
            context.output(members.get(value.members()[i]), value.inputs().get(i));
        }
    }
}
