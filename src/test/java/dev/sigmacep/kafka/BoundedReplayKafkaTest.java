package dev.sigmacep.kafka;

import dev.sigmacep.detect.RuleSet;
import dev.sigmacep.job.InputFiles;
import dev.sigmacep.job.JobSettings;
import dev.sigmacep.job.KafkaPosition;
import dev.sigmacep.job.StreamingJob;
import dev.sigmacep.sigma.load.RuleLoader;
import dev.sigmacep.sigma.match.MatchContext;
import dev.sigmacep.testing.ConsoleCapture;
import dev.sigmacep.testing.Lines;
import dev.sigmacep.testing.Replays;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
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
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A replay of a bounded Kafka read gives exactly the alerts and dead letters of the replay of the same records in a
 * file (as sorted lines): the whole topic, the part from a record timestamp on, and, as the cluster jar's replay,
 * into Kafka topics.
 */
class BoundedReplayKafkaTest {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final long FIRST_HALF_TIME = 1_700_000_000_000L;
    private static final long SECOND_HALF_TIME = 1_700_000_100_000L;
    /** sysmon-flat.ndjson's line that is not JSON, and its record without an event time */
    private static final int DEAD_LETTERS = 2;
    private static final Pattern HOST = Pattern.compile("\"Hostname\":\"([^\"]*)\"");

    private static TestBroker broker;
    private static RuleSet rules;
    private static List<String> records;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = TestBroker.start();
        rules = new RuleSet(RuleLoader.readSources(List.of(Path.of("rules"))), MatchContext.empty());
        records = Files.readAllLines(Path.of("samples/wer-chain/sysmon-flat.ndjson")).stream()
                .filter(line -> !line.isBlank()).toList();
        broker.createTopic("telemetry", 3);
        // the first half stamped FIRST_HALF_TIME, the second SECOND_HALF_TIME, each keyed by host
        List<ProducerRecord<String, String>> sent = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            Matcher host = HOST.matcher(records.get(i));
            sent.add(new ProducerRecord<>("telemetry", null, i < half() ? FIRST_HALF_TIME : SECOND_HALF_TIME,
                    host.find() ? host.group(1) : "-", records.get(i)));
        }
        broker.produce(sent);
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    private static int half() {
        return records.size() / 2;
    }

    private static JobSettings settings() {
        return JobSettings.builder().parallelism(2).bootstrapServers(broker.bootstrapServers()).build();
    }

    /** Alerts then dead letters of the embedded replay of {@code lines} written to a file, each list sorted. */
    private static List<List<String>> fileReplay(Path dir, List<String> lines) throws Exception {
        Files.createDirectories(dir);
        Path file = dir.resolve("records.ndjson");
        Files.write(file, lines);
        List<String> alerts = new ArrayList<>();
        List<String> deadLetters = new ArrayList<>();
        Replays.batch(settings(), rules).run(InputFiles.expand(List.of(file)), Lines.into(alerts), Lines.into(deadLetters));
        return List.of(alerts.stream().sorted().toList(), deadLetters.stream().sorted().toList());
    }

    private static List<List<String>> kafkaReplay(KafkaPosition from, KafkaPosition to) throws Exception {
        List<String> alerts = new ArrayList<>();
        List<String> deadLetters = new ArrayList<>();
        Replays.batch(settings(), rules).runKafka(List.of("telemetry"), from, to, Lines.into(alerts), Lines.into(deadLetters));
        return List.of(alerts.stream().sorted().toList(), deadLetters.stream().sorted().toList());
    }

    @Test
    void theWholeTopicGivesTheFilesAlerts(@TempDir Path dir) throws Exception {
        List<List<String>> expected = fileReplay(dir, records);
        assertThat(expected.get(0)).hasSize(8);
        assertThat(expected.get(1)).hasSize(DEAD_LETTERS);
        assertThat(kafkaReplay(KafkaPosition.EARLIEST, KafkaPosition.LATEST)).isEqualTo(expected);
    }

    @Test
    void aRecordTimestampBoundsTheRead(@TempDir Path dir) throws Exception {
        List<List<String>> second = fileReplay(dir.resolve("second"), records.subList(half(), records.size()));
        List<List<String>> first = fileReplay(dir.resolve("first"), records.subList(0, half()));
        // each half alone gives alerts of its own, fewer than the whole
        assertThat(first.get(0)).isNotEmpty().isNotEqualTo(second.get(0));
        assertThat(first.get(0).size() + second.get(0).size()).isLessThanOrEqualTo(8);
        KafkaPosition secondHalf = KafkaPosition.parse(String.valueOf(SECOND_HALF_TIME), "--from");
        assertThat(kafkaReplay(secondHalf, KafkaPosition.LATEST)).isEqualTo(second);
        assertThat(kafkaReplay(KafkaPosition.EARLIEST, KafkaPosition.parse(String.valueOf(SECOND_HALF_TIME), "--to")))
                .isEqualTo(first);
    }

    @Test
    void theClusterJarsReplayWritesKafkaTopics(@TempDir Path dir) throws Exception {
        broker.createTopic("replay-alerts", 1);
        broker.createTopic("replay-dead", 1);
        ConsoleCapture.Captured<Void> run = ConsoleCapture.of(() -> {
            StreamingJob.main(new String[]{"replay", "--input-topic", "telemetry", "--bootstrap-servers",
                    broker.bootstrapServers(), "--rules", "rules", "--parallelism", "2",
                    "--alerts-topic", "replay-alerts", "--dead-letter-topic", "replay-dead"});
            return null;
        });
        assertThat(run.thrown()).isNull();
        List<List<String>> expected = fileReplay(dir, records);
        List<String> alerts = broker.read("replay-alerts", true, read -> read.size() >= expected.get(0).size(),
                Duration.ofSeconds(60), Duration.ofSeconds(2));
        assertThat(alerts.stream().sorted().toList()).isEqualTo(expected.get(0));
        List<String> deadLetters = broker.read("replay-dead", true, read -> read.size() >= expected.get(1).size(),
                Duration.ofSeconds(30), Duration.ofSeconds(2));
        assertThat(deadLetters.stream().sorted().toList()).isEqualTo(expected.get(1));
        assertThat(run.out()).contains("input                                        Kafka [telemetry] from earliest to latest");
    }
}
