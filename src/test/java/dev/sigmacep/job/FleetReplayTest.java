package dev.sigmacep.job;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sigmacep.detect.RuleSet;
import dev.sigmacep.generate.TelemetryGenerator;
import dev.sigmacep.sigma.load.RuleLoader;
import dev.sigmacep.sigma.match.MatchContext;
import dev.sigmacep.testing.AlertCounts;
import dev.sigmacep.testing.GeneratedFiles;
import dev.sigmacep.testing.Lines;
import dev.sigmacep.testing.OutputDigest;
import dev.sigmacep.testing.Replays;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fleet profile through the replay job: every host's injected chain gives exactly the correlation alerts the
 * generator expects, and the whole output (alerts and dead letters) is byte for byte what the job gave before the
 * serialization work (the digest below was taken with the code of af419b0, before it).
 */
class FleetReplayTest {
    /** {@code bin/sigma-cep generate --hosts 2000 --events 10000 --seed 11 --disorder 30s}, replayed at af419b0. */
    static final String DIGEST_BEFORE_OPTIMISATIONS = "3a601f7b281c847c5a8ce9828fa24c73735f3f4a6e9e7538136f66ff379f50f0";

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @Test
    void everyInjectedChainAlertsAndTheOutputIsUnchanged(@TempDir Path dir) throws Exception {
        TelemetryGenerator generator = new TelemetryGenerator(new TelemetryGenerator.Settings(2000, 10_000, 0.1,
                Duration.ofSeconds(30), 11, Instant.parse("2024-03-12T00:00:00Z"), Duration.ofHours(1)));
        Path file = GeneratedFiles.jsonLines(generator, dir.resolve("fleet.ndjson"));
        RuleSet rules = new RuleSet(RuleLoader.readSources(List.of(Path.of("rules"))), MatchContext.empty());
        JobSettings settings = JobSettings.builder().parallelism(2).build();
        List<String> alerts = new ArrayList<>();
        List<String> deadLetters = new ArrayList<>();
        Replay.Result result = Replays.batch(settings, rules).run(List.of(file), Lines.into(alerts), Lines.into(deadLetters));

        assertThat(result.recordsRead()).isEqualTo(10_000);
        assertThat(deadLetters).isEmpty();
        List<String> chains = new ArrayList<>();
        for (String alert : alerts) {
            JsonNode json = AlertCounts.parse(alert);
            String rule = json.get("rule_name").asText();
            assertThat(json.path("correlation_type").asText(null))
                    .isEqualTo(rule.startsWith("wer_masquerade_") ? "temporal_ordered" : null);
            if (rule.startsWith("wer_masquerade_")) {
                chains.add(rule + " " + json.get("host").asText() + " " + json.get("group_by").elements().next().asText()
                        + " " + json.get("first_event_time").asText() + " " + json.get("last_event_time").asText());
            }
        }
        List<String> expected = generator.expectedAlerts().stream().map(e -> e.ruleName() + " " + e.host() + " " + e.host()
                + " " + dev.sigmacep.alert.AlertJson.formatTime(e.firstMillis() * 1000)
                + " " + dev.sigmacep.alert.AlertJson.formatTime(e.lastMillis() * 1000)).toList();
        assertThat(chains).hasSize(2196).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(OutputDigest.of(OutputDigest.withoutCorrelationType(alerts), deadLetters))
                .isEqualTo(DIGEST_BEFORE_OPTIMISATIONS);
    }
}
