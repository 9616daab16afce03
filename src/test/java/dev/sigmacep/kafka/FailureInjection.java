package dev.sigmacep.kafka;

import dev.sigmacep.detect.RuleSet;
import dev.sigmacep.event.DecodeResult;
import dev.sigmacep.job.JobSettings;
import dev.sigmacep.job.SigmaCepJob;
import dev.sigmacep.job.StreamingJob;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static dev.sigmacep.kafka.KafkaRecords.sum;
import static dev.sigmacep.kafka.KafkaRecords.total;
import static dev.sigmacep.testing.AlertCounts.byRuleAndHost;
import static dev.sigmacep.testing.FlatSysmon.T0;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Failure injection on the mini cluster: the streaming job (Kafka source, the flagship rules, checkpoints every
 * 500 ms, exactly-once Kafka sinks, restart strategy fixed-delay) reads a fleet's telemetry that arrives in batches a
 * little apart, so that checkpoints complete between them; a map after the source throws once, at the N-th record,
 * N drawn from a seed. The job restarts from its last completed checkpoint, and once it has, a tick on every partition
 * closes the input. Then a failure-free job reads the same topic. The committed alerts ({@code read_committed}) must
 * be exactly the failure-free run's, line for line, and none twice; so must the dead letters.
 *
 * <p>No partition may count as idle here: after a quiet spell longer than the idle timeout (the wait for the first
 * batch's alerts is one), the partition whose reader resumes first moves the watermark past the others' next batch,
 * whose events are then late, on a loaded machine. So the idle timeout is far longer than the test, and the closing
 * ticks, sent after the restart, move every restored partition's watermark, which idleness did before.
 */
final class FailureInjection {
    private static final String NOT_JSON = "<Event><System><EventID>1</EventID></System></Event>";
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    /** Several checkpoints long: a duplicate still to come would show up in it. */
    private static final Duration QUIET = Duration.ofSeconds(3);
    /** Longer than a checkpoint interval. */
    private static final Duration PAUSE = Duration.ofMillis(1200);
    /** Longer than the whole test: no partition ever counts as idle (see the class comment). */
    private static final Duration IDLE_TIMEOUT = Duration.ofMinutes(10);
    private static final int PARTITIONS = 3;

    /** What one run measured, for the report. */
    /**
     * @param aborted alert records of the failing job that a {@code read_uncommitted} consumer sees besides the
     *                committed ones: what an at-least-once sink would have delivered twice
     */
    record Outcome(long seed, int records, long failAt, int attempts, long replayed, int alerts, int aborted,
                   int deadLetters) {
    }

    private FailureInjection() {
    }

    static Outcome check(TestBroker broker, RuleSet rules, String name, long seed, int batches, int hostsPerBatch)
            throws Exception {
        JobSettings failing = settings(broker, name, name + "-sysmon");
        String topic = failing.kafka().inputTopics().get(0);
        broker.createTopic(topic, PARTITIONS);
        List<List<ProducerRecord<String, String>>> input = new ArrayList<>();
        List<Map<String, Integer>> expected = new ArrayList<>();
        for (int b = 0; b < batches; b++) {
            KafkaRecords batch = batch(topic, b, hostsPerBatch);
            input.add(batch.producerRecords());
            expected.add(batch.expected());
        }
        Map<String, Integer> alertsExpected = sum(expected);
        int records = input.stream().mapToInt(List::size).sum();
        long failAt = 1 + new Random(seed).nextInt(records);
        int deadLetters = (int) input.stream().flatMap(List::stream).filter(r -> r.value().equals(NOT_JSON)).count();

        FailAt.reset(failAt);
        JobClient job = start(failing, rules, true);
        List<String> alerts;
        List<String> letters;
        List<String> everything;
        try {
            // the first batch's alerts committed: the job runs and checkpoints, and the later batches arrive while it
            // does (else a job slow to start would read them all before its first checkpoint)
            broker.produce(input.get(0));
            broker.read(failing.kafka().alertsTopic(), true, a -> a.size() >= total(expected.get(0)), TIMEOUT,
                    Duration.ZERO);
            for (List<ProducerRecord<String, String>> batch : input.subList(1, input.size())) {
                TimeUnit.MILLISECONDS.sleep(PAUSE.toMillis());
                broker.produce(batch);
            }
            // every subtask of the second attempt has opened (parallelism 2): the job has restored
            Waiting.until(() -> FailAt.FAILED.get() && FailAt.OPENED.get() >= 4, TIMEOUT,
                    () -> "no restart after the failure at record " + failAt + " of " + records + " within " + TIMEOUT
                            + " (failed: " + FailAt.FAILED.get() + ", subtasks opened: " + FailAt.OPENED.get() + ")");
            broker.produce(new KafkaRecords(topic, PARTITIONS).tick(T0.plus(Duration.ofHours(batches)))
                    .producerRecords());
            alerts = broker.read(failing.kafka().alertsTopic(), true, a -> a.size() >= total(alertsExpected), TIMEOUT, QUIET);
            letters = broker.read(failing.kafka().deadLetterTopic(), true, d -> d.size() >= deadLetters, TIMEOUT, QUIET);
            int committed = alerts.size();
            everything = broker.read(failing.kafka().alertsTopic(), false, a -> a.size() >= committed, TIMEOUT,
                    Duration.ofSeconds(1));
        } finally {
            job.cancel().get(30, TimeUnit.SECONDS);
        }
        assertThat(FailAt.FAILED).as("the injected failure happened (record %d of %d)", failAt, records).isTrue();

        JobSettings reference = settings(broker, name + "-reference", topic);
        JobClient referenceJob = start(reference, rules, false);
        List<String> referenceAlerts;
        List<String> referenceLetters;
        try {
            referenceAlerts = broker.read(reference.kafka().alertsTopic(), true,
                    a -> a.size() >= total(alertsExpected), TIMEOUT, QUIET);
            referenceLetters = broker.read(reference.kafka().deadLetterTopic(), true,
                    d -> d.size() >= deadLetters, TIMEOUT, QUIET);
        } finally {
            referenceJob.cancel().get(30, TimeUnit.SECONDS);
        }

        assertThat(byRuleAndHost(referenceAlerts)).isEqualTo(alertsExpected);
        assertThat(sorted(alerts)).as("seed %d, failure at record %d of %d; late events: %s", seed, failAt, records,
                        letters.stream().filter(l -> l.contains("\"kind\":\"late\"")).toList())
                .isEqualTo(sorted(referenceAlerts));
        assertThat(new HashSet<>(alerts)).as("no alert twice").hasSize(alerts.size());
        assertThat(sorted(letters)).isEqualTo(sorted(referenceLetters)).hasSize(deadLetters);
        // each attempt opens the map once per subtask (parallelism 2)
        // the closing ticks are read once, after the restart
        return new Outcome(seed, records, failAt, FailAt.OPENED.get() / 2, FailAt.SEEN.get() - records - PARTITIONS,
                alerts.size(), everything.size() - alerts.size(), letters.size());
    }

    /**
     * Batch {@code b}: an hour of event time of its own; hosts alternate between the chain and its harmless variant, a
     * record that is not JSON every fifth host, a tick on every partition at the end.
     */
    private static KafkaRecords batch(String topic, int b, int hosts) {
        Instant start = T0.plus(Duration.ofHours(b));
        KafkaRecords batch = new KafkaRecords(topic, PARTITIONS);
        for (int h = 0; h < hosts; h++) {
            String host = "H-" + b + "-" + h;
            Instant at = start.plus(Duration.ofMinutes(h % 20));
            if (h % 2 == 0) {
                batch.chain(host, at);
            } else {
                batch.noChain(host, at);
            }
            if (h % 5 == 4) {
                batch.raw(at.plusSeconds(30), host, NOT_JSON);
            }
        }
        return batch.tick(start.plus(Duration.ofMinutes(50)));
    }

    private static List<String> sorted(List<String> lines) {
        List<String> copy = new ArrayList<>(lines);
        copy.sort(null);
        return copy;
    }

    private static JobSettings settings(TestBroker broker, String name, String inputTopic) throws Exception {
        JobSettings settings = JobSettings.load(Path.of("jobs/kafka.yaml")).toBuilder()
                .parallelism(2)
                .idleTimeout(IDLE_TIMEOUT)
                .checkpointInterval(Duration.ofMillis(500))
                .bootstrapServers(broker.bootstrapServers())
                .inputTopics(List.of(inputTopic))
                .groupId(name)
                .alertsTopic(name + "-alerts")
                .deadLetterTopic(name + "-dead-letters")
                .transactionalIdPrefix(name)
                .build();
        broker.createTopic(settings.kafka().alertsTopic(), 2);
        broker.createTopic(settings.kafka().deadLetterTopic(), 1);
        return settings;
    }

    /** The streaming job's graph, with a map after the source that may fail once. */
    private static JobClient start(JobSettings settings, RuleSet rules, boolean inject) throws Exception {
        Configuration restarts = new Configuration();
        restarts.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        restarts.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        restarts.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        StreamExecutionEnvironment env = StreamingJob.environment(settings, restarts);
        DataStream<DecodeResult> records = StreamingJob.records(env, settings);
        if (inject) {
            records = records.map(new FailAt()).uid("fail-at").name("fail at record N");
        }
        StreamingJob.sinks(new SigmaCepJob(settings, rules).wire(records), settings.kafka());
        return env.executeAsync("sigma-cep failure injection " + settings.kafka().groupId());
    }

    /** Throws once, at the N-th record any source subtask passes on (the mini cluster runs in this JVM). */
    static final class FailAt extends RichMapFunction<DecodeResult, DecodeResult> {
        static final AtomicBoolean FAILED = new AtomicBoolean();
        static final AtomicLong SEEN = new AtomicLong();
        static final AtomicInteger OPENED = new AtomicInteger();
        private static volatile long failAt;

        static void reset(long n) {
            FAILED.set(false);
            SEEN.set(0);
            OPENED.set(0);
            failAt = n;
        }

        @Override
        public void open(OpenContext context) {
            OPENED.incrementAndGet();
        }

        @Override
        public DecodeResult map(DecodeResult record) {
            if (SEEN.incrementAndGet() >= failAt && FAILED.compareAndSet(false, true)) {
                throw new IllegalStateException("injected failure at record " + failAt);
            }
            return record;
        }
    }
}
