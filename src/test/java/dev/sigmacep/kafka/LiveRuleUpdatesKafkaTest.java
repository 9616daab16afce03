package dev.sigmacep.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sigmacep.detect.RuleSet;
import dev.sigmacep.job.JobSettings;
import dev.sigmacep.job.StreamingJob;
import dev.sigmacep.sigma.load.RuleLoader;
import dev.sigmacep.sigma.match.MatchContext;
import dev.sigmacep.testing.AlertCounts;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
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
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.sigmacep.testing.FlatSysmon.processStart;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rules changed while the streaming job runs, end to end against a Kafka broker: a rule sent on the rules topic and
 * one written into the watched directory take effect without a restart, a bad one is refused on the status topic
 * with its reason, and the alerts carry their rule's version.
 */
class LiveRuleUpdatesKafkaTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final Instant T0 = Instant.parse("2024-03-12T10:00:00Z");

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4).build());

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

    private static String rule(String title, String id, String image) {
        return "title: " + title + "\nid: " + id + "\nlevel: high\n"
                + "logsource: {product: windows, category: process_creation}\n"
                + "detection: {sel: {Image|endswith: '\\\\" + image + "'}, condition: sel}\n";
    }

    private static ProducerRecord<String, String> event(String topic, String host, String image, int second) {
        return new ProducerRecord<>(topic, host, processStart(host, T0.plusSeconds(second), "{g" + second + "}", image,
                image, "{p}", "C:\\Windows\\explorer.exe"));
    }

    @Test
    void rulesSentToTheRunningJobTakeEffectWithoutARestart(@TempDir Path dir) throws Exception {
        Path watched = Files.createDirectory(dir.resolve("live"));
        JobSettings settings = JobSettings.load(Path.of("jobs/kafka.yaml")).toBuilder()
                .parallelism(2).checkpointInterval(Duration.ofMillis(500))
                .bootstrapServers(broker.bootstrapServers()).inputTopics(List.of("live-sysmon")).groupId("live")
                .alertsTopic("live-alerts").deadLetterTopic("live-dead-letters").transactionalIdPrefix("live")
                .ruleUpdatesDirectory(watched).ruleUpdatesPollInterval(Duration.ofMillis(200))
                .ruleUpdatesTopic("live-rules").ruleStatusTopic("live-rule-status")
                .build();
        for (String topic : List.of("live-sysmon", "live-alerts", "live-dead-letters", "live-rules", "live-rule-status")) {
            broker.createTopic(topic, topic.equals("live-sysmon") ? 2 : 1);
        }
        RuleSet rules = new RuleSet(RuleLoader.readSources(List.of(Path.of("rules"))), MatchContext.empty());
        StreamExecutionEnvironment env = StreamingJob.environment(settings, new Configuration());
        StreamingJob.build(env, settings, rules);
        JobClient job = env.executeAsync("sigma-cep live rules");
        try {
            broker.produce(List.of(new ProducerRecord<>("live-rules", "whoami",
                    rule("whoami", "00000000-0000-0000-0000-0000000000e1", "whoami.exe"))));
            List<String> statuses = broker.read("live-rule-status", true, s -> s.size() >= 1, TIMEOUT, Duration.ZERO);
            assertThat(statuses.get(0)).contains("\"rule\":\"00000000-0000-0000-0000-0000000000e1\"",
                    "\"outcome\":\"added\"", "\"version\":1", "\"origin\":\"live-rules:0:0\"");

            Files.writeString(watched.resolve("net.yml"), rule("netstat", "00000000-0000-0000-0000-0000000000e2",
                    "netstat.exe"));
            Files.writeString(watched.resolve("broken.yml"), rule("broken", "00000000-0000-0000-0000-0000000000e3",
                    "x.exe").replace("endswith", "endswit"));
            statuses = broker.read("live-rule-status", true, s -> s.size() >= 3, TIMEOUT, Duration.ZERO);
            assertThat(String.join("\n", statuses)).contains("\"outcome\":\"rejected\"", "unknown modifier 'endswit'",
                    "\"rule\":\"00000000-0000-0000-0000-0000000000e2\",\"outcome\":\"added\"");

            broker.produce(List.of(event("live-sysmon", "H1", "C:\\Windows\\System32\\whoami.exe", 10),
                    event("live-sysmon", "H2", "C:\\Windows\\System32\\NETSTAT.EXE", 11)));
            List<String> alerts = broker.read("live-alerts", true, a -> a.size() >= 2, TIMEOUT, Duration.ofSeconds(2));
            assertThat(alerts).hasSize(2);
            for (String alert : alerts) {
                JsonNode json = AlertCounts.parse(alert);
                assertThat(json.get("rule_version").asInt()).isEqualTo(1);
                assertThat(json.get("rule_title").asText()).isIn("whoami", "netstat");
            }
        } finally {
            job.cancel().get(30, TimeUnit.SECONDS);
        }
    }
}
