package dev.sigmacep.job;

import dev.sigmacep.detect.RuleSet;
import dev.sigmacep.generate.TelemetryGenerator;
import dev.sigmacep.sigma.load.RuleLoader;
import dev.sigmacep.sigma.match.MatchContext;
import dev.sigmacep.testing.GeneratedFiles;
import dev.sigmacep.testing.Lines;
import dev.sigmacep.testing.Replays;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A streaming job's shared sequences key their groups to stay in their host's key group at the max parallelism the
 * job is configured with, a power of two or not: at parallelism 2 a fleet of 500 hosts gives the alerts a BATCH
 * replay gives (a group outside its subtask's key groups would fail the job).
 */
class MaxParallelismTest {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @TempDir
    static Path dir;
    private static Path fleet;
    private static RuleSet rules;
    private static List<String> batchAlerts;

    @BeforeAll
    static void fleetAndItsBatchAlerts() throws Exception {
        TelemetryGenerator generator = new TelemetryGenerator(new TelemetryGenerator.Settings(500, 5_000, 0.1,
                Duration.ofSeconds(30), 3, Instant.parse("2024-03-12T00:00:00Z"), Duration.ofHours(1)));
        fleet = GeneratedFiles.jsonLines(generator, dir.resolve("fleet.ndjson"));
        rules = new RuleSet(RuleLoader.readSources(List.of(Path.of("rules"))), MatchContext.empty());
        List<String> alerts = new ArrayList<>();
        Replays.batch(settings(), rules).run(List.of(fleet), Lines.into(alerts), Lines.into(new ArrayList<>()));
        Collections.sort(alerts);
        batchAlerts = alerts;
        assertThat(batchAlerts).anyMatch(alert -> alert.contains("\"correlation_type\":\"temporal_ordered\""));
    }

    private static JobSettings settings() {
        return JobSettings.builder().parallelism(2).build();
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 256, 100, 720})
    void streamingGivesBatchsAlertsAtAConfiguredMaxParallelism(int maxParallelism) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setRuntimeMode(RuntimeExecutionMode.STREAMING);
        env.setParallelism(2);
        if (maxParallelism > 0) {
            env.setMaxParallelism(maxParallelism);
        }
        SigmaCepJob.configure(env);
        var records = ReplaySources.files(env, settings(),
                List.of(new org.apache.flink.core.fs.Path(fleet.toUri())), FutureEvents.NONE, false);
        List<String> alerts = new ArrayList<>();
        List<String> deadLetters = new ArrayList<>();
        try (ClientSink.Channel channel = new ClientSink.Channel(Lines.into(alerts), Lines.into(deadLetters))) {
            Replay.toClient(new SigmaCepJob(settings(), rules).wire(records), new ClientSink(channel));
            env.execute("max parallelism " + maxParallelism);
        }
        Collections.sort(alerts);
        assertThat(deadLetters).isEmpty();
        assertThat(alerts).isEqualTo(batchAlerts);
    }
}
