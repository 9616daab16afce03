package dev.sigmacep.kafka;

import dev.sigmacep.detect.RuleSet;
import dev.sigmacep.job.JobSettings;
import dev.sigmacep.job.StreamingJob;
import dev.sigmacep.sigma.load.RuleLoader;
import dev.sigmacep.sigma.match.MatchContext;
import dev.sigmacep.testing.FlagshipChain;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static dev.sigmacep.testing.AlertCounts.byRuleAndHost;
import static dev.sigmacep.testing.FlatSysmon.T0;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Event-time edges across Kafka partitions, on the streaming job itself (Kafka source with a watermark per partition,
 * exactly-once sinks, one reader holding every partition): hosts hours apart in different partitions, and a partition
 * silent for hours while the others go on.
 */
class EventTimeEdgesKafkaTest {
    private static final int PARTITIONS = 3;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Duration QUIET = Duration.ofSeconds(2);

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static TestBroker broker;
    private static RuleSet rules;
    private JobClient job;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = TestBroker.start();
        rules = new RuleSet(RuleLoader.readSources(List.of(Path.of("rules"))), MatchContext.empty());
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @AfterEach
    void cancelJob() throws Exception {
        if (job != null) {
            try {
                job.cancel().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                // already stopped: nothing to cancel
            }
            job = null;
        }
    }

    private static JobSettings settings(String name, Duration idleTimeout) throws Exception {
        JobSettings settings = JobSettings.load(Path.of("jobs/kafka.yaml")).toBuilder()
                .parallelism(1)
                .idleTimeout(idleTimeout)
                .checkpointInterval(Duration.ofMillis(500))
                .bootstrapServers(broker.bootstrapServers())
                .inputTopics(List.of(name + "-sysmon"))
                .groupId(name)
                .alertsTopic(name + "-alerts")
                .deadLetterTopic(name + "-dead-letters")
                .transactionalIdPrefix(name)
                .build();
        broker.createTopic(settings.kafka().inputTopics().get(0), PARTITIONS);
        broker.createTopic(settings.kafka().alertsTopic(), 1);
        broker.createTopic(settings.kafka().deadLetterTopic(), 1);
        return settings;
    }

    private void start(JobSettings settings, String name) throws Exception {
        StreamExecutionEnvironment env = StreamingJob.environment(settings, new Configuration());
        StreamingJob.build(env, settings, rules);
        job = env.executeAsync(name);
    }

    private static KafkaRecords chainIn(KafkaRecords records, int partition, String host, Instant t0) {
        records.rawIn(partition, t0, host, FlagshipChain.start(host, t0));
        records.rawIn(partition, t0.plusSeconds(20), host, FlagshipChain.connect(host, t0.plusSeconds(20)));
        records.rawIn(partition, t0.plusSeconds(300), host, FlagshipChain.shell(host, t0.plusSeconds(300)));
        return records;
    }

    private static List<String> committed(JobSettings settings, String topic, int count) throws Exception {
        return broker.read(topic, true, records -> records.size() >= count, TIMEOUT, QUIET);
    }

    /**
     * H-AHEAD's clock three hours ahead of H-BEHIND's, each host in its own partition, H-AHEAD's records sent first:
     * the watermark is the slowest partition's, so H-BEHIND's events are on time and both chains correlate.
     */
    @Test
    void hostsHoursApartInDifferentPartitions() throws Exception {
        JobSettings settings = settings("skew", Duration.ofMinutes(1));
        String topic = settings.kafka().inputTopics().get(0);
        Instant ahead = T0.plus(Duration.ofHours(3));
        KafkaRecords records = chainIn(new KafkaRecords(topic, PARTITIONS), 0, "H-AHEAD", ahead);
        broker.produce(records.producerRecords());
        KafkaRecords behind = chainIn(new KafkaRecords(topic, PARTITIONS), 1, "H-BEHIND", T0)
                .tick(ahead.plus(Duration.ofHours(1)));
        broker.produce(behind.producerRecords());
        start(settings, "sigma-cep skew");

        Map<String, Integer> expected = new TreeMap<>();
        FlagshipChain.expectAll(expected, "H-AHEAD");
        FlagshipChain.expectAll(expected, "H-BEHIND");
        assertThat(byRuleAndHost(committed(settings, settings.kafka().alertsTopic(), 12))).isEqualTo(expected);
        assertThat(broker.read(settings.kafka().deadLetterTopic(), true, r -> false, QUIET, Duration.ZERO)).isEmpty();
    }

    /**
     * Partition 0 has one event at T0 and then nothing; partition 1 has a chain three hours later and partition 2 a
     * tick after it. Once partition 0 has been idle for {@code idle-timeout} (2s here) it stops holding the watermark
     * back and the chain is emitted, with no further event anywhere.
     */
    @Test
    void aPartitionSilentForHoursDoesNotHoldTheOthersBack() throws Exception {
        JobSettings settings = settings("idle", Duration.ofSeconds(2));
        String topic = settings.kafka().inputTopics().get(0);
        Instant later = T0.plus(Duration.ofHours(3));
        KafkaRecords records = new KafkaRecords(topic, PARTITIONS)
                .rawIn(0, T0, "H-SILENT", FlagshipChain.notepad("H-SILENT", T0, 0));
        chainIn(records, 1, "H-LIVE", later);
        records.rawIn(1, later.plus(Duration.ofHours(1)), "H-LIVE", FlagshipChain.notepad("H-LIVE", later.plus(Duration.ofHours(1)), 1));
        records.rawIn(2, later.plus(Duration.ofHours(1)), "H-OTHER", FlagshipChain.notepad("H-OTHER", later.plus(Duration.ofHours(1)), 2));
        broker.produce(records.producerRecords());
        long startedAt = System.nanoTime();
        start(settings, "sigma-cep idle");

        Map<String, Integer> expected = new TreeMap<>();
        FlagshipChain.expectAll(expected, "H-LIVE");
        assertThat(byRuleAndHost(committed(settings, settings.kafka().alertsTopic(), 6))).isEqualTo(expected);
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startedAt);
        System.out.println("idle partition: the chain's alerts committed " + seconds + " s after the job was submitted");
    }
}
