package dev.sigmacep.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sigmacep.detect.RuleSet;
import dev.sigmacep.event.DecodeResult;
import dev.sigmacep.job.JobSettings;
import dev.sigmacep.job.SigmaCepJob;
import dev.sigmacep.job.StreamingJob;
import dev.sigmacep.sigma.load.RuleLoader;
import dev.sigmacep.sigma.match.MatchContext;
import dev.sigmacep.testing.AlertCounts;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.client.JobStatusMessage;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.sigmacep.kafka.KafkaRecords.sum;
import static dev.sigmacep.kafka.KafkaRecords.total;
import static dev.sigmacep.testing.AlertCounts.byRuleAndHost;
import static dev.sigmacep.testing.FlatSysmon.T0;
import static dev.sigmacep.testing.FlatSysmon.processStart;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The streaming job against a real Kafka broker (KRaft, in this JVM) on a Flink mini cluster: records in, alerts
 * and dead letters out through the exactly-once (transactional) sinks, read back with {@code read_committed}.
 * The job is configured from the shipped {@code jobs/kafka.yaml}, with only the broker, topics and timings changed.
 */
class StreamingJobKafkaTest {
    private static final int PARTITIONS = 3;
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    /** Long enough for several checkpoints: anything still to come (a duplicate) would show up in it. */
    private static final Duration QUIET = Duration.ofSeconds(3);
    private static final String NOT_JSON = "2024-03-12 12:00:01 WKS-FLAT-01 nxlog[2716]: om_tcp: connection reset by peer";
    private static final String POISON = "POISON: the test job fails once on this record";
    private static final Path SAMPLE = Path.of("samples/wer-chain/sysmon-flat.ndjson");
    /** The bundled sample's day: long past any retention. */
    private static final Instant SAMPLE_DAY = Instant.parse("2024-03-12T00:00:00Z");
    private static final String WERMGR = "C:\\Windows\\System32\\wermgr.exe";

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4).build());

    private static TestBroker broker;
    private static RuleSet rules;
    private JobClient job;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = TestBroker.start();
        rules = new RuleSet(RuleLoader.readSources(List.of(Path.of("rules"))), MatchContext.empty());
        assertThat(rules.model().errors()).isEmpty();
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
                // already stopped (or failed): nothing to cancel
            }
            job = null;
        }
    }

    /** {@code jobs/kafka.yaml} pointed at the test broker and at topics of their own, created. */
    private static JobSettings settings(String name) throws Exception {
        return settings(name, Map.of());
    }

    /** @param inputTopicConfig settings of the input topic, e.g. its retention */
    private static JobSettings settings(String name, Map<String, String> inputTopicConfig) throws Exception {
        JobSettings settings = uncreatedTopics(name);
        broker.createTopic(settings.kafka().inputTopics().get(0), PARTITIONS, inputTopicConfig);
        broker.createTopic(settings.kafka().alertsTopic(), 2);
        broker.createTopic(settings.kafka().deadLetterTopic(), 1);
        return settings;
    }

    /** {@code jobs/kafka.yaml} pointed at the test broker and at topics of their own, which do not exist yet. */
    private static JobSettings uncreatedTopics(String name) throws Exception {
        JobSettings settings = JobSettings.load(Path.of("jobs/kafka.yaml"));
        assertThat(settings.kafka().deliveryGuarantee()).isEqualTo(JobSettings.DeliveryGuarantee.EXACTLY_ONCE);
        return settings.toBuilder()
                .parallelism(PARTITIONS)
                .checkpointInterval(Duration.ofMillis(500))
                .bootstrapServers(broker.bootstrapServers())
                .inputTopics(List.of(name + "-sysmon"))
                .groupId(name)
                .alertsTopic(name + "-alerts")
                .deadLetterTopic(name + "-dead-letters")
                .transactionalIdPrefix(name)
                .build();
    }

    private List<String> committedAlerts(JobSettings settings, Map<String, Integer> expected) throws Exception {
        int count = total(expected);
        return broker.read(settings.kafka().alertsTopic(), true, alerts -> alerts.size() >= count, TIMEOUT, QUIET);
    }

    private List<String> committedDeadLetters(JobSettings settings, int count) throws Exception {
        return broker.read(settings.kafka().deadLetterTopic(), true, letters -> letters.size() >= count, TIMEOUT, Duration.ZERO);
    }

    @Test
    void alertsAndDeadLettersReachKafkaExactlyOnce() throws Exception {
        JobSettings settings = settings("e2e");
        KafkaRecords input = new KafkaRecords(settings.kafka().inputTopics().get(0), PARTITIONS)
                .chain("H-CHAIN", T0)
                .noChain("H-ARGS", T0.plusSeconds(30))
                .raw(T0.plusSeconds(40), "WKS-FLAT-01", NOT_JSON)
                .tick(T0.plus(Duration.ofHours(1)));
        broker.produce(input.producerRecords());

        StreamExecutionEnvironment env = StreamingJob.environment(settings, new Configuration());
        StreamingJob.build(env, settings, rules);
        job = env.executeAsync("sigma-cep kafka e2e");

        List<String> alerts = committedAlerts(settings, input.expected());
        assertThat(byRuleAndHost(alerts)).isEqualTo(input.expected());
        JsonNode chain = alerts.stream().map(AlertCounts::parse)
                .filter(a -> "wer_masquerade_chain".equals(a.get("rule_name").asText()))
                .findFirst().orElseThrow();
        assertThat(chain.get("host").asText()).isEqualTo("H-CHAIN");
        assertThat(chain.get("events")).hasSize(3);

        List<String> deadLetters = committedDeadLetters(settings, 1);
        assertThat(deadLetters).hasSize(1);
        JsonNode deadLetter = AlertCounts.parse(deadLetters.get(0));
        assertThat(deadLetter.get("kind").asText()).isEqualTo("dead-letter");
        assertThat(deadLetter.get("reason").asText()).startsWith("not JSON: ");
        assertThat(deadLetter.get("record").asText()).isEqualTo(NOT_JSON);
    }

    /**
     * Alerts about old telemetry (the bundled sample, from 2024-03-12), its dead letters and a late event reach
     * Kafka stamped with the time they were produced, so the broker's retention counts from then; the event times
     * stay inside the JSON. Alerts are keyed by host. The input is stamped with the sample's day, as a backfill that
     * keeps the original times would stamp it; its topic keeps records forever, or the broker's retention check
     * could delete them before the job reads them.
     */
    @Test
    void outputRecordsCarryTheTimeTheyWereProduced() throws Exception {
        JobSettings settings = settings("produced-time", Map.of("retention.ms", "-1"));
        String topic = settings.kafka().inputTopics().get(0);
        List<ProducerRecord<String, String>> sample = new ArrayList<>();
        for (String line : Files.readAllLines(SAMPLE)) {
            sample.add(new ProducerRecord<>(topic, null, SAMPLE_DAY.toEpochMilli(), sampleHost(line), line));
        }
        // the next day on every partition: every correlation of the sample is then complete
        sample.addAll(new KafkaRecords(topic, PARTITIONS).tick(SAMPLE_DAY.plus(Duration.ofDays(1))).producerRecords());
        broker.produce(sample);

        long start = System.currentTimeMillis();
        StreamExecutionEnvironment env = StreamingJob.environment(settings, new Configuration());
        StreamingJob.build(env, settings, rules);
        job = env.executeAsync("sigma-cep kafka produced time");
        Map<String, Integer> expected = new TreeMap<>(Map.of(
                "wer_noargs_start@WKS-FLAT-01", 1, "wer_noargs_start@WKS-FLAT-05", 1,
                "wer_outbound_connection@WKS-FLAT-01", 1, "wer_outbound_connection@SRV-FILE-07", 1,
                "wer_child_shell@WKS-FLAT-01", 1, KafkaRecords.SEED_RULE + "@WKS-FLAT-01", 1,
                "wer_masquerade_netconn@WKS-FLAT-01", 1, "wer_masquerade_chain@WKS-FLAT-01", 1));
        assertThat(byRuleAndHost(committedAlerts(settings, expected))).isEqualTo(expected);

        // a WER start from before the correlations' watermark: late for all three, and still alerted on its own
        String late = processStart("WKS-FLAT-01", Instant.parse("2024-03-12T09:00:00Z"), "{late}", WERMGR,
                "\"" + WERMGR + "\"", "{late-parent}", "C:\\Users\\alice\\loader.exe");
        broker.produce(List.of(new ProducerRecord<>(topic, null, SAMPLE_DAY.toEpochMilli(), "WKS-FLAT-01", late)));
        expected.merge("wer_noargs_start@WKS-FLAT-01", 1, Integer::sum);
        List<ConsumerRecord<String, String>> alerts = broker.readRecords(settings.kafka().alertsTopic(), true,
                records -> records.size() >= total(expected), TIMEOUT, QUIET);
        List<ConsumerRecord<String, String>> deadLetters = broker.readRecords(settings.kafka().deadLetterTopic(), true,
                records -> records.size() >= 5, TIMEOUT, QUIET);
        long end = System.currentTimeMillis();

        assertThat(byRuleAndHost(alerts.stream().map(ConsumerRecord::value).toList())).isEqualTo(expected);
        for (ConsumerRecord<String, String> alert : alerts) {
            JsonNode json = AlertCounts.parse(alert.value());
            assertThat(alert.timestampType()).isEqualTo(TimestampType.CREATE_TIME);
            assertThat(alert.timestamp()).as("Kafka timestamp of %s", alert.value()).isBetween(start, end);
            assertThat(alert.key()).isEqualTo(json.get("host").asText());
            assertThat(json.get("first_event_time").asText()).startsWith("2024-03-12T");
            assertThat(json.get("last_event_time").asText()).startsWith("2024-03-12T");
        }
        JsonNode chain = alerts.stream().map(alert -> AlertCounts.parse(alert.value()))
                .filter(alert -> "wer_masquerade_chain".equals(alert.get("rule_name").asText()))
                .findFirst().orElseThrow();
        assertThat(chain.get("first_event_time").asText()).isEqualTo("2024-03-12T09:14:05.312Z");
        assertThat(chain.get("last_event_time").asText()).isEqualTo("2024-03-12T09:19:05.719Z");

        assertThat(deadLetters).extracting(d -> AlertCounts.parse(d.value()).get("kind").asText())
                .containsExactlyInAnyOrder("dead-letter", "dead-letter", "late", "late", "late");
        for (ConsumerRecord<String, String> deadLetter : deadLetters) {
            assertThat(deadLetter.timestampType()).isEqualTo(TimestampType.CREATE_TIME);
            assertThat(deadLetter.timestamp()).as("Kafka timestamp of %s", deadLetter.value()).isBetween(start, end);
            assertThat(deadLetter.key()).isNull();
        }
        assertThat(deadLetters.stream().map(d -> AlertCounts.parse(d.value()))
                .filter(d -> d.get("kind").asText().equals("late")).map(d -> d.get("record").asText()))
                .containsExactly(late, late, late);
    }

    /** The sample's host field; its one line that is not JSON comes from WKS-FLAT-01's collector. */
    private static String sampleHost(String line) {
        try {
            JsonNode host = AlertCounts.parse(line).get("Hostname");
            return host != null ? host.asText() : "WKS-FLAT-01";
        } catch (UncheckedIOException notJson) {
            return "WKS-FLAT-01";
        }
    }

    /**
     * The cluster entry point ({@code flink run}) checks the topics before it submits anything, and names the
     * missing ones, their settings and the brokers; the check itself creates nothing.
     */
    @Test
    void missingTopicsAreReportedBeforeTheJobIsSubmitted(@TempDir Path dir, @InjectClusterClient ClusterClient<?> cluster)
            throws Exception {
        JobSettings settings = uncreatedTopics("missing");
        Path job = dir.resolve("kafka.yaml");
        Files.writeString(job, String.join("\n",
                "rules: [" + Path.of("rules").toAbsolutePath() + "]",
                "kafka:",
                "  bootstrap-servers: " + settings.kafka().bootstrapServers(),
                "  input-topics: [" + settings.kafka().inputTopics().get(0) + "]",
                "  alerts-topic: " + settings.kafka().alertsTopic(),
                "  dead-letter-topic: " + settings.kafka().deadLetterTopic(), ""));
        String[] args = {"--config", job.toString()};
        String where = "missing Kafka topics at " + broker.bootstrapServers() + " (kafka.bootstrap-servers): ";
        String what = "; create them before starting the job, or correct the configuration";

        assertThatThrownBy(() -> StreamingJob.main(args)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(where + "missing-sysmon (kafka.input-topics), missing-alerts (kafka.alerts-topic),"
                        + " missing-dead-letters (kafka.dead-letter-topic)" + what);
        broker.createTopic("missing-sysmon", PARTITIONS);
        broker.createTopic("missing-dead-letters", 1);
        assertThatThrownBy(() -> StreamingJob.main(args)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(where.replace("topics", "topic") + "missing-alerts (kafka.alerts-topic)" + what);

        assertThat(broker.topics()).doesNotContain("missing-alerts");
        assertThat(cluster.listJobs().get()).extracting(JobStatusMessage::getJobName)
                .doesNotContain(StreamingJob.JOB_NAME);
    }

    /**
     * Three batches: the first is committed; the job fails on a record of the second (after that batch's first
     * alerts went out in a transaction) and restarts from its last checkpoint; it is then stopped with a
     * savepoint, and a new job resumes from the savepoint for the third. Every alert is committed exactly once.
     */
    @Test
    void exactlyOnceAcrossAFailureAndASavepointRestart(@TempDir Path savepoints) throws Exception {
        FailOnce.FAILED.set(false);
        JobSettings settings = settings("recovery").toBuilder()
                // one reader for all partitions: after the restart it catches up on them in batches, which must not
                // make one partition's events late (event time is tracked per partition)
                .parallelism(1)
                // no partition ever counts as idle: after a quiet spell longer than the timeout (the wait for the
                // first batch's alerts, on a loaded machine), the partition read first would move the watermark past
                // the others' next batch. After the restart, ticks move the restored partitions instead
                .idleTimeout(Duration.ofMinutes(10))
                .build();
        String topic = settings.kafka().inputTopics().get(0);
        Configuration restarts = new Configuration();
        restarts.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        restarts.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        restarts.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));

        // 1: committed before anything goes wrong
        KafkaRecords first = new KafkaRecords(topic, PARTITIONS)
                .chain("H-ONE", T0)
                .noChain("H-ONE-ARGS", T0)
                .raw(T0.plusSeconds(40), "H-ONE", NOT_JSON)
                .tick(T0.plus(Duration.ofHours(1)));
        broker.produce(first.producerRecords());
        job = start(settings, restarts);
        assertThat(byRuleAndHost(committedAlerts(settings, first.expected()))).isEqualTo(first.expected());

        // 2: the job fails on the poison record, which follows H-TWO's chain in H-TWO's partition
        Instant t2 = T0.plus(Duration.ofHours(2));
        KafkaRecords second = new KafkaRecords(topic, PARTITIONS)
                .chain("H-TWO", t2)
                .noChain("H-TWO-ARGS", t2)
                .raw(t2.plus(Duration.ofMinutes(10)), "H-TWO", POISON)
                .tick(t2.plus(Duration.ofHours(1)));
        broker.produce(second.producerRecords());
        // once the job has failed, a tick on every partition: the restarted job has something new on each
        Waiting.until(FailOnce.FAILED::get, Duration.ofSeconds(90),
                () -> "the job did not reach the poison record within 90 s");
        broker.produce(new KafkaRecords(topic, PARTITIONS).tick(t2.plus(Duration.ofHours(1)).plusSeconds(1))
                .producerRecords());
        Map<String, Integer> expected = sum(List.of(first.expected(), second.expected()));
        List<String> alerts = committedAlerts(settings, expected);
        assertThat(FailOnce.FAILED).isTrue();
        // the alerts of the failed attempt did reach the topic, in a transaction that was aborted
        int committed = alerts.size();
        List<String> everything = broker.read(settings.kafka().alertsTopic(), false, all -> all.size() > committed,
                Duration.ofSeconds(10), Duration.ZERO);
        assertThat(byRuleAndHost(alerts))
                .as("uncommitted: %s%ndead letters: %s", byRuleAndHost(everything), committedDeadLetters(settings, 2))
                .isEqualTo(expected);
        assertThat(everything.size()).isGreaterThan(committed);

        // 3: stop with a savepoint; a new job resumes from it
        String savepoint = job.stopWithSavepoint(false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
                .get(60, TimeUnit.SECONDS);
        job = null;
        Instant t3 = T0.plus(Duration.ofHours(4));
        KafkaRecords third = new KafkaRecords(topic, PARTITIONS)
                .chain("H-THREE", t3)
                .tick(t3.plus(Duration.ofHours(1)));
        broker.produce(third.producerRecords());
        Configuration resume = new Configuration(restarts);
        resume.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        job = start(settings, resume);
        expected = sum(List.of(first.expected(), second.expected(), third.expected()));
        assertThat(byRuleAndHost(committedAlerts(settings, expected))).isEqualTo(expected);

        List<String> deadLetters = committedDeadLetters(settings, 2);
        assertThat(deadLetters).extracting(d -> AlertCounts.parse(d).get("record").asText())
                .containsExactlyInAnyOrder(NOT_JSON, POISON);
    }

    /** The job of {@link StreamingJob}, with a map after the source that fails the job once. */
    private static JobClient start(JobSettings settings, Configuration overrides) throws Exception {
        StreamExecutionEnvironment env = StreamingJob.environment(settings, overrides);
        DataStream<DecodeResult> records = StreamingJob.records(env, settings)
                .map(new FailOnce()).uid("fail-once").name("fail once");
        StreamingJob.sinks(new SigmaCepJob(settings, rules).wire(records), settings.kafka());
        return env.executeAsync("sigma-cep kafka recovery");
    }

    /** Fails the job on the poison record, once per test JVM (the mini cluster runs in it). */
    static final class FailOnce implements MapFunction<DecodeResult, DecodeResult> {
        static final AtomicBoolean FAILED = new AtomicBoolean();

        @Override
        public DecodeResult map(DecodeResult record) throws Exception {
            if (record.deadLetter() != null && record.deadLetter().raw().equals(POISON) && FAILED.compareAndSet(false, true)) {
                // no checkpoint can complete while this source subtask waits, so the alerts before the poison
                // record stay in an open transaction that the failure aborts
                Thread.sleep(1000);
                throw new IllegalStateException("injected failure");
            }
            return record;
        }
    }
}
