package dev.sigmacep.job;

import dev.sigmacep.detect.RuleSet;
import dev.sigmacep.event.DecodeResult;
import dev.sigmacep.sigma.load.RuleLoader;
import dev.sigmacep.sigma.match.MatchContext;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.lib.NumberSequenceSource;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The embedded replay hands each alert to the client in the task that made it: its sinks are chained to the
 * detect operator and to each correlation's, so alerts (with their evidence records) never go through an exchange,
 * which BATCH writes to disk and reads back.
 */
class ReplayGraphTest {
    @ParameterizedTest
    @EnumSource(value = RuntimeExecutionMode.class, names = {"STREAMING", "BATCH"})
    void everyAlertSinkIsChainedToTheOperatorThatMakesTheAlerts(RuntimeExecutionMode mode) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setRuntimeMode(mode);
        env.setParallelism(2);
        SigmaCepJob.configure(env);
        var records = env.fromSource(new NumberSequenceSource(0, 1), WatermarkStrategy.noWatermarks(), "numbers")
                .map(n -> DecodeResult.dead("test", "")).returns(TypeInformation.of(DecodeResult.class));
        RuleSet rules = new RuleSet(RuleLoader.readSources(List.of(Path.of("rules"))), MatchContext.empty());
        SigmaCepJob.Outputs outputs = new SigmaCepJob(JobSettings.defaults(), rules).wire(records);
        List<String> alertTasks = new ArrayList<>();
        try (ClientSink.Channel channel = new ClientSink.Channel(json -> { }, json -> { })) {
            Replay.toClient(outputs, new ClientSink(channel));
            JobGraph job = env.getStreamGraph().getJobGraph();
            for (JobVertex task : job.getVertices()) {
                if (task.getName().contains("to the client: alerts")) {
                    alertTasks.add(task.getName());
                }
            }
        }
        // detection alerts, and each of the three correlations of the project rules: the two with equal first group-by
        // fields share an exchange, and both their sinks chain to the task behind it (in BATCH their one operator, in
        // STREAMING the fan-out with each one's operators)
        assertThat(alertTasks).hasSize(3);
        assertThat(alertTasks.stream().mapToInt(name -> name.split("to the client: alerts", -1).length - 1).sum())
                .isEqualTo(4);
        assertThat(alertTasks).allSatisfy(name ->
                assertThat(name).containsAnyOf("detect (Sigma rules) -> ", "correlate ", "one alert per chain of "));
        assertThat(alertTasks).noneSatisfy(name -> assertThat(name).startsWith("count alerts"));
    }
}
