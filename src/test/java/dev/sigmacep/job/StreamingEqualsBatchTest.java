package dev.sigmacep.job;

import dev.sigmacep.detect.RuleSet;
import dev.sigmacep.sigma.load.RuleLoader;
import dev.sigmacep.sigma.match.MatchContext;
import dev.sigmacep.testing.Lines;
import dev.sigmacep.testing.Replays;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
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

    /** Alerts, then dead letters, each sorted. */
    private static List<List<String>> outputs(List<Path> inputs, RuntimeExecutionMode mode, JobSettings settings)
            throws Exception {
        return outputs(inputs, mode, settings, List.of(Path.of("rules")));
    }

    private static List<List<String>> outputs(List<Path> inputs, RuntimeExecutionMode mode, JobSettings settings,
                                              List<Path> ruleDirectories) throws Exception {
        RuleSet rules = new RuleSet(RuleLoader.readSources(ruleDirectories), MatchContext.empty());
        List<String> alerts = new ArrayList<>();
        List<String> deadLetters = new ArrayList<>();
        Replays.inMode(settings, rules, mode).run(inputs, Lines.into(alerts), Lines.into(deadLetters));
        Collections.sort(alerts);
        Collections.sort(deadLetters);
        return List.of(alerts, deadLetters);
    }

    private static List<String> alerts(Path file, RuntimeExecutionMode mode) throws Exception {
        List<List<String>> outputs = outputs(List.of(file), mode, JobSettings.builder().parallelism(1).build());
        assertThat(outputs.get(1)).noneMatch(line -> line.contains("\"kind\":\"late\""));
        return outputs.get(0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sysmon-flat.ndjson", "evtx-dump.json", "winlogbeat.ndjson", "ecs.ndjson"})
    void sameAlertsInBothModes(String sample) throws Exception {
        Path file = Path.of("samples/wer-chain").resolve(sample);
        List<String> batch = alerts(file, RuntimeExecutionMode.BATCH);
        assertThat(batch).isNotEmpty();
        assertThat(alerts(file, RuntimeExecutionMode.STREAMING)).isEqualTo(batch);
    }

    /**
     * A correlation built on the alerts of one that shares its operator in BATCH (the three flagship sequences all
     * group by {@code Computer} first) gets the same inputs, and gives the same alerts, as in streaming.
     */
    @Test
    void aCorrelationOnASharedOnesAlertsAlertsAlikeInBothModes(@TempDir Path extra) throws Exception {
        Files.writeString(extra.resolve("netconn_then_child.yml"), """
                title: Masquerading WER connects out, then a shell starts on the host
                name: netconn_then_child
                correlation:
                    type: temporal_ordered
                    rules: [wer_masquerade_netconn, wer_child_shell]
                    group-by: [Computer]
                    timespan: 1h
                level: high
                """);
        List<Path> file = List.of(Path.of("samples/wer-chain/sysmon-flat.ndjson"));
        JobSettings settings = JobSettings.builder().parallelism(2).build();
        List<Path> rules = List.of(Path.of("rules"), extra);
        List<List<String>> batch = outputs(file, RuntimeExecutionMode.BATCH, settings, rules);
        assertThat(batch.get(0)).anyMatch(alert -> alert.contains("\"rule_name\":\"netconn_then_child\""));
        assertThat(outputs(file, RuntimeExecutionMode.STREAMING, settings, rules)).isEqualTo(batch);
    }

    /**
     * The cap on inputs per group holds alike where it runs in front of the correlation (streaming) and inside it
     * (BATCH): with one input per group and timespan no sequence completes, and the same inputs leave as over cap.
     */
    @ParameterizedTest
    @ValueSource(strings = {"sysmon-flat.ndjson", "evtx-dump.json", "winlogbeat.ndjson", "ecs.ndjson"})
    void theCapOnInputsPerGroupActsAlikeInBothModes(String sample) throws Exception {
        List<Path> file = List.of(Path.of("samples/wer-chain").resolve(sample));
        JobSettings oneInput = JobSettings.builder().parallelism(1).maxInputsPerGroup(1).build();
        List<List<String>> batch = outputs(file, RuntimeExecutionMode.BATCH, oneInput);
        assertThat(outputs(file, RuntimeExecutionMode.STREAMING, oneInput)).isEqualTo(batch);

        List<String> uncapped = outputs(file, RuntimeExecutionMode.BATCH, JobSettings.builder().parallelism(1).build())
                .get(0);
        List<String> correlated = uncapped.stream().filter(alert -> alert.contains("\"correlation_type\":")).toList();
        List<String> overCap = batch.get(1).stream().filter(line -> line.contains("\"kind\":\"over-cap\"")).toList();
        assertThat(batch.get(0)).containsExactlyElementsOf(uncapped.stream().filter(alert -> !correlated.contains(alert))
                .toList());
        if (!correlated.isEmpty()) {
            assertThat(overCap).isNotEmpty().allMatch(line -> line.contains(
                    "its group already had 1 inputs in this timespan (correlation-state.max-inputs-per-group)"));
        }
    }
}
