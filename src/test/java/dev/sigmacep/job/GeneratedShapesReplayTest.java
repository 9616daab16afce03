package dev.sigmacep.job;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sigmacep.alert.AlertJson;
import dev.sigmacep.generate.RecordShape;
import dev.sigmacep.generate.TelemetryGenerator;
import dev.sigmacep.testing.AlertCounts;
import dev.sigmacep.testing.Lines;
import dev.sigmacep.testing.Replays;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One seeded fleet generated in every shape `generate --shape` writes: each replay gives the same alerts (rule, host,
 * group-by values, first and last event time), and their chain alerts are the generator's expected ones.
 */
class GeneratedShapesReplayTest {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @Test
    void everyShapeGivesTheSameAlerts(@TempDir Path dir) throws Exception {
        TelemetryGenerator generator = new TelemetryGenerator(new TelemetryGenerator.Settings(30, 600, 0.5,
                Duration.ofSeconds(30), 13, Instant.parse("2024-03-12T00:00:00Z"), Duration.ofHours(1)));
        List<String> expectedChains = new ArrayList<>();
        for (TelemetryGenerator.ExpectedAlert alert : generator.expectedAlerts()) {
            expectedChains.add(alert.ruleName() + " " + alert.host() + " " + AlertJson.formatTime(alert.firstMillis() * 1000)
                    + " " + AlertJson.formatTime(alert.lastMillis() * 1000));
        }
        Collections.sort(expectedChains);

        Map<String, List<String>> alertsByShape = new TreeMap<>();
        for (String name : RecordShape.NAMES) {
            RecordShape shape = RecordShape.named(name);
            List<String> lines = new ArrayList<>();
            generator.forEach(record -> {
                String json = shape.write(record.json());
                if (json != null) {
                    lines.add(json);
                }
            });
            Path file = Files.write(dir.resolve(name + ".ndjson"), lines);
            List<String> alerts = Collections.synchronizedList(new ArrayList<>());
            List<String> deadLetters = Collections.synchronizedList(new ArrayList<>());
            Replays.batch(JobSettings.builder().parallelism(2).build(), ReplayRun.rules())
                    .run(List.of(file), Lines.into(alerts), Lines.into(deadLetters));
            assertThat(deadLetters).as(name).isEmpty();
            alertsByShape.put(name, keys(alerts));
        }

        List<String> flat = alertsByShape.get("sysmon-flat");
        assertThat(flat.stream().filter(key -> key.startsWith("wer_masquerade_"))
                .map(key -> key.substring(0, key.lastIndexOf(' '))).toList())
                .as("chain alerts of the flat form").isEqualTo(expectedChains).hasSize(42); // 30 hosts: 30 netconn, 12 chains
        assertThat(flat).hasSizeGreaterThan(expectedChains.size());
        alertsByShape.forEach((shape, alerts) -> assertThat(alerts).as(shape).isEqualTo(flat));
    }

    /** rule, host, first and last event time, group-by values: what an alert says whatever the input's shape */
    private static List<String> keys(List<String> alerts) {
        List<String> keys = new ArrayList<>();
        for (String alert : alerts) {
            JsonNode json = AlertCounts.parse(alert);
            String rule = json.get("rule_name").isNull() ? json.get("rule_id").asText() : json.get("rule_name").asText();
            keys.add(rule + " " + json.get("host").asText() + " " + json.get("first_event_time").asText() + " "
                    + json.get("last_event_time").asText() + " " + json.get("group_by"));
        }
        Collections.sort(keys);
        return keys;
    }
}
