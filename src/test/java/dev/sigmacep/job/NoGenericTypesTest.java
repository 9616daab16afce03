package dev.sigmacep.job;

import dev.sigmacep.detect.RuleSet;
import dev.sigmacep.event.DecodeResult;
import dev.sigmacep.sigma.load.RuleLoader;
import dev.sigmacep.sigma.match.MatchContext;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.lib.NumberSequenceSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code pipeline.generic-types: false} holds for the whole graph: a type that fell back to Kryo would fail here,
 * when the graph's serializers are created, rather than slow the job down and tie savepoints to class layouts.
 */
class NoGenericTypesTest {
    private static RuleSet projectRules() throws java.io.IOException {
        return new RuleSet(RuleLoader.readSources(List.of(Path.of("rules"))), MatchContext.empty());
    }

    @Test
    void theStreamingJobBuildsWithGenericTypesDisabled() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        SigmaCepJob.configure(env);
        RuleSet rules = projectRules();
        assertThat(rules.model().plans()).hasSize(3);
        StreamingJob.build(env, JobSettings.defaults(), rules);
        StreamGraph graph = env.getStreamGraph();
        assertThat(graph.getStreamNodes()).isNotEmpty();
    }

    /**
     * Both modes; and where each correlation's caps run: a {@code cap-...} operator in front in STREAMING (its
     * savepoint state), inside the correlation's operator in BATCH (no second sort). The three flagship sequences all
     * group by {@code Computer} first and share one exchange: in BATCH one operator, in STREAMING a fan-out with each
     * sequence's cap and CEP operators behind it.
     */
    @ParameterizedTest
    @EnumSource(value = RuntimeExecutionMode.class, names = {"STREAMING", "BATCH"})
    void theReplayGraphBuildsWithGenericTypesDisabled(RuntimeExecutionMode mode) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setRuntimeMode(mode);
        SigmaCepJob.configure(env);
        var records = env.fromSource(new NumberSequenceSource(0, 1), WatermarkStrategy.noWatermarks(), "numbers")
                .map(n -> DecodeResult.dead("test", "")).returns(TypeInformation.of(DecodeResult.class));
        SigmaCepJob.Outputs outputs = new SigmaCepJob(JobSettings.defaults(), projectRules()).wire(records);
        outputs.alerts().map(ReplayOutput::of).union(outputs.deadLetters().map(ReplayOutput::of),
                outputs.late().map(ReplayOutput::of)).sinkTo(new org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink<>());
        List<String> uids = env.getStreamGraph().getStreamNodes().stream().map(StreamNode::getTransformationUID)
                .filter(java.util.Objects::nonNull).toList();
        List<String> caps = uids.stream().filter(uid -> uid.startsWith("cap-")).toList();
        assertThat(uids.stream().filter(uid -> uid.startsWith("correlate-"))).hasSize(mode == RuntimeExecutionMode.BATCH ? 1 : 3);
        assertThat(uids.stream().filter(uid -> uid.startsWith("correlate-shared-"))).hasSize(mode == RuntimeExecutionMode.BATCH ? 1 : 0);
        assertThat(caps).hasSize(mode == RuntimeExecutionMode.BATCH ? 0 : 3);
        boolean streaming = mode == RuntimeExecutionMode.STREAMING;
        assertThat(caps).allMatch(uid -> uid.startsWith("cap-by-partition-"));
        assertThat(uids.stream().filter(uid -> uid.startsWith("correlate-by-partition-"))).hasSize(streaming ? 3 : 0);
        assertThat(uids.stream().filter(uid -> uid.startsWith("partition-")))
                .containsExactlyElementsOf(streaming ? List.of("partition-Computer") : List.of());
    }

    @Test
    void aKryoTypeWouldFailTheBuild() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        SigmaCepJob.configure(env);
        env.fromSource(new NumberSequenceSource(0, 1), WatermarkStrategy.noWatermarks(), "numbers")
                .map(n -> new Object()).returns(Object.class)
                .sinkTo(new org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink<>());
        assertThatThrownBy(env::getStreamGraph).hasStackTraceContaining("Generic types have been disabled");
    }
}
