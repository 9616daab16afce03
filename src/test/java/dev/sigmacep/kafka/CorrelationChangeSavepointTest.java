package dev.sigmacep.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sigmacep.detect.RuleSet;
import dev.sigmacep.job.JobSettings;
import dev.sigmacep.job.StreamingJob;
import dev.sigmacep.sigma.load.RuleLoader;
import dev.sigmacep.sigma.match.MatchContext;
import dev.sigmacep.testing.AlertCounts;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static dev.sigmacep.testing.AlertCounts.byRuleAndHost;
import static dev.sigmacep.testing.AlertCounts.expectOnEach;
import static dev.sigmacep.testing.FlatSysmon.T0;
import static dev.sigmacep.testing.FlatSysmon.connection;
import static dev.sigmacep.testing.FlatSysmon.processStart;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The documented way to change correlations (docs/operations.md): stop with a savepoint, restart with the new rules
 * from it. A correlation whose id changed gets a new operator (its old state is dropped, which the restart allows);
 * an unchanged correlation keeps its partial matches: a chain begun before the savepoint completes after it.
 */
class CorrelationChangeSavepointTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final String WERMGR = "C:\\Windows\\System32\\wermgr.exe";
    private static final String EXTRA = """
            title: extra start then connection
            id: %s
            name: %s
            correlation:
                type: temporal_ordered
                rules: [wer_noargs_start, wer_outbound_connection]
                group-by: [Computer]
                timespan: 1m
            level: low
            """;

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static TestBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = TestBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    /** The project's rules and an extra correlation with the given id and name. */
    private static RuleSet rules(Path dir, String id, String name) throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("extra.yml"), EXTRA.formatted(id, name));
        return new RuleSet(RuleLoader.readSources(List.of(Path.of("rules"), dir)), MatchContext.empty());
    }

    private static JobClient start(JobSettings settings, RuleSet rules, Configuration conf) throws Exception {
        StreamExecutionEnvironment env = StreamingJob.environment(settings, conf);
        StreamingJob.build(env, settings, rules);
        return env.executeAsync("sigma-cep correlation change");
    }

    /** A process start on the topic's one partition, far ahead: it moves the watermark. */
    private static ProducerRecord<String, String> tick(String topic, Instant at) {
        return new ProducerRecord<>(topic, 0, "H-TICK", processStart("H-TICK", at, "{tick-" + at.getEpochSecond() + "}",
                "C:\\Windows\\System32\\notepad.exe", "notepad.exe", "{explorer}", "C:\\Windows\\explorer.exe"));
    }

    @Test
    void anUnchangedCorrelationKeepsItsPartialMatchesAcrossTheRestart(@TempDir Path dir) throws Exception {
        JobSettings settings = JobSettings.load(Path.of("jobs/kafka.yaml")).toBuilder()
                .parallelism(1).checkpointInterval(Duration.ofMillis(500)).idleTimeout(Duration.ofSeconds(5))
                .bootstrapServers(broker.bootstrapServers()).inputTopics(List.of("change-sysmon")).groupId("change")
                .alertsTopic("change-alerts").deadLetterTopic("change-dead-letters").transactionalIdPrefix("change")
                .build();
        for (String topic : List.of("change-sysmon", "change-alerts", "change-dead-letters")) {
            broker.createTopic(topic, 1);
        }
        String guid = "{g-A}";
        String start = processStart("H-A", T0, guid, WERMGR, "\"" + WERMGR + "\"", "{p}", "C:\\loader.exe");
        broker.produce(List.of(new ProducerRecord<>("change-sysmon", 0, "H-A", start),
                new ProducerRecord<>("change-sysmon", 0, "H-A",
                        connection("H-A", T0.plusSeconds(20), guid, WERMGR, "203.0.113.50")),
                tick("change-sysmon", T0.plus(Duration.ofMinutes(3))))); // past the 1-minute ones, not the chain's 30

        Map<String, Integer> before = new TreeMap<>();
        expectOnEach(before, "wer_noargs_start", "H-A");
        expectOnEach(before, "wer_outbound_connection", "H-A");
        expectOnEach(before, "wer_masquerade_netconn", "H-A");
        expectOnEach(before, "extra_v1", "H-A");
        JobClient job = start(settings, rules(dir.resolve("v1"), "5f0c0000-0000-4000-8000-000000000001", "extra_v1"),
                new Configuration());
        String savepoint;
        try {
            List<String> alerts = broker.read("change-alerts", true, a -> a.size() >= 4, TIMEOUT, Duration.ofSeconds(2));
            assertThat(byRuleAndHost(alerts)).isEqualTo(before);
            savepoint = job.stopWithSavepoint(false, dir.resolve("savepoints").toUri().toString(),
                    SavepointFormatType.CANONICAL).get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            job.cancel().get(30, TimeUnit.SECONDS);
            throw e;
        }

        // the extra correlation changed its id: a new operator; the chain did not change
        Configuration restore = new Configuration();
        restore.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        restore.set(StateRecoveryOptions.SAVEPOINT_IGNORE_UNCLAIMED_STATE, true); // the old extra's state
        job = start(settings, rules(dir.resolve("v2"), "5f0c0000-0000-4000-8000-000000000002", "extra_v2"), restore);
        try {
            String child = processStart("H-A", T0.plus(Duration.ofMinutes(5)), "{c-A}",
                    "C:\\Windows\\System32\\cmd.exe", "cmd.exe /c whoami", guid, WERMGR);
            broker.produce(List.of(new ProducerRecord<>("change-sysmon", 0, "H-A", child),
                    tick("change-sysmon", T0.plus(Duration.ofHours(2)))));
            Map<String, Integer> after = new TreeMap<>(before);
            expectOnEach(after, "wer_child_shell", "H-A");
            expectOnEach(after, KafkaRecords.SEED_RULE, "H-A");
            expectOnEach(after, "wer_masquerade_chain", "H-A");
            List<String> alerts = broker.read("change-alerts", true, a -> a.size() >= 7, TIMEOUT, Duration.ofSeconds(3));
            assertThat(byRuleAndHost(alerts)).isEqualTo(after);
            JsonNode chain = alerts.stream().map(AlertCounts::parse)
                    .filter(a -> "wer_masquerade_chain".equals(a.get("rule_name").asText())).findFirst().orElseThrow();
            List<String> evidence = new ArrayList<>();
            chain.get("events").forEach(event -> evidence.add(event.toString()));
            assertThat(evidence).hasSize(3).first().isEqualTo(start); // the start came before the savepoint
        } finally {
            job.cancel().get(30, TimeUnit.SECONDS);
        }
    }
}
