package dev.sigmacep.job;

import dev.sigmacep.detect.RuleSet;
import dev.sigmacep.sigma.load.RuleLoader;
import dev.sigmacep.sigma.match.MatchContext;
import dev.sigmacep.testing.Lines;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Replaying a file gives exactly the alerts that streaming the same file gives (each sample file is in order). */
class StreamingEqualsBatchTest {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static List<String> alerts(Path file, RuntimeExecutionMode mode) throws Exception {
        RuleSet rules = new RuleSet(RuleLoader.readSources(List.of(Path.of("rules"))), MatchContext.empty());
        JobSettings settings = JobSettings.builder().parallelism(1).build();
        List<String> alerts = new ArrayList<>();
        List<String> deadLetters = new ArrayList<>();
        new Replay(settings, rules, mode).run(List.of(file), Lines.into(alerts), Lines.into(deadLetters));
        assertThat(deadLetters).noneMatch(line -> line.contains("\"kind\":\"late\""));
        Collections.sort(alerts);
        return alerts;
    }

    @ParameterizedTest
    @ValueSource(strings = {"sysmon-flat.ndjson", "evtx-dump.json", "winlogbeat.ndjson", "ecs.ndjson"})
    void sameAlertsInBothModes(String sample) throws Exception {
        Path file = Path.of("samples/wer-chain").resolve(sample);
        List<String> batch = alerts(file, RuntimeExecutionMode.BATCH);
        assertThat(batch).isNotEmpty();
        assertThat(alerts(file, RuntimeExecutionMode.STREAMING)).isEqualTo(batch);
    }
}
