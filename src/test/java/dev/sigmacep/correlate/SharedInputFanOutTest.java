package dev.sigmacep.correlate;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SharedInputFanOutTest {
    private static final List<OutputTag<CorrelationEvent>> MEMBERS = List.of(
            new OutputTag<>("inputs-a", TypeInformation.of(CorrelationEvent.class)),
            new OutputTag<>("inputs-b", TypeInformation.of(CorrelationEvent.class)),
            new OutputTag<>("inputs-c", TypeInformation.of(CorrelationEvent.class)));

    @Test
    void eachInputGoesToItsMembersOutputAtTheEventsTimeSharingTheRecord() throws Exception {
        List<byte[]> records = List.of("{\"Computer\":\"h1\"}".getBytes(StandardCharsets.UTF_8));
        CorrelationEvent toC = new CorrelationEvent(List.of("h1", "g1"), 1, "h1", 5_000_000, List.of(), records);
        CorrelationEvent toA = new CorrelationEvent(List.of("h1"), 2, "h1", 5_000_000, List.of("v"), records);
        try (var harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new SharedInputFanOut(MEMBERS, GroupKeys.ANY_POWER_OF_TWO)),
                SharedInput::partition, Types.STRING)) {
            harness.open();
            harness.processElement(new SharedInput(new int[]{2, 0}, List.of(toC, toA)), 5_000);
            harness.processWatermark(6_000);

            assertThat(harness.getSideOutput(MEMBERS.get(0))).extracting(StreamRecord::getValue, StreamRecord::getTimestamp)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(toA, 5_000L));
            assertThat(harness.getSideOutput(MEMBERS.get(2))).extracting(StreamRecord::getValue, StreamRecord::getTimestamp)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(toC, 5_000L));
            assertThat(harness.getSideOutput(MEMBERS.get(1))).isNull(); // nothing for b
            assertThat(harness.getSideOutput(MEMBERS.get(0)).peek().getValue().records().get(0))
                    .isSameAs(harness.getSideOutput(MEMBERS.get(2)).peek().getValue().records().get(0));
            assertThat(harness.getOutput()).containsExactly(new Watermark(6_000)); // watermarks go on, no main output
        }
    }

    /**
     * Its members' keys keep their partition's key group only at the max parallelism they were made for: at another
     * (a savepoint's, where the job sets none) it refuses to start rather than put groups in foreign key groups.
     */
    @Test
    void refusesAMaxParallelismItsMembersKeysWereNotMadeFor() throws Exception {
        try (var harness = fanOut(GroupKeys.ANY_POWER_OF_TWO, 100)) {
            assertThatThrownBy(harness::open).isInstanceOf(IllegalStateException.class).hasMessage(
                    "this job's correlations were built for another max parallelism than the 100 it runs at "
                            + "(a savepoint's?): set pipeline.max-parallelism: 100");
        }
        try (var harness = fanOut(GroupKeys.forMaxParallelism(100), 100)) {
            harness.open();
        }
        try (var harness = fanOut(GroupKeys.ANY_POWER_OF_TWO, 256)) {
            harness.open();
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, SharedInput, CorrelationEvent> fanOut(
            GroupKeys keys, int maxParallelism) throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new SharedInputFanOut(MEMBERS,
                keys)), SharedInput::partition, Types.STRING, maxParallelism, 1, 0);
    }
}
