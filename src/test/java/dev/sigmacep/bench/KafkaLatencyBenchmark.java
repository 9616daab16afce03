package dev.sigmacep.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sigmacep.detect.RuleSet;
import dev.sigmacep.generate.TelemetryGenerator;
import dev.sigmacep.job.JobSettings;
import dev.sigmacep.job.StreamingJob;
import dev.sigmacep.kafka.TestBroker;
import dev.sigmacep.sigma.match.MatchContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Kafka → job → Kafka on this machine: sustained events/s and event-to-alert latency. A KRaft broker in this JVM,
 * the streaming job ({@code jobs/kafka.yaml}: exactly-once, the project's rules) on a local mini cluster, the
 * generator's fleet produced in real time at {@code RATE} events/s (each record sent when the wall clock reaches
 * its event time, keyed by host, into 4 partitions), and a {@code read_committed} consumer of the alerts topic.
 * An alert's latency is the time it was read less the time its last evidence event was sent. Exactly-once alerts
 * are committed with checkpoints, and a correlation alert waits for the watermark (event time less
 * {@code max-out-of-orderness}) to pass its last event: both settings are printed with the figures.
 * <p>Run: {@code KafkaLatencyBenchmark [RATE [SPAN_SECONDS [CHECKPOINT_MS [OUT_OF_ORDERNESS_MS [CHAIN_RATE]]]]]}
 * (defaults 2000, 660, 1000, 5000, 0.1; a chain rate of 0 leaves out the child shells, which come up to 10 min late).
 * A RATE of 0 measures the job's ceiling instead: {@code RATE × SPAN} becomes {@code 2000 × SPAN} events of the last
 * SPAN seconds, all sent before the job starts, and the job reads them as fast as it can. The generator's chains
 * start within SPAN − 605 s and their child shells come 10 s to 10 min later, so with the default span every kind of
 * alert occurs throughout the run, and a shorter SPAN still spreads the events over about 605 s. Prints a Markdown table and one
 * JSON line.
 */
public final class KafkaLatencyBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PARTITIONS = 4;

    public static void main(String[] args) throws Exception {
        int rate = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int spanSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 660;
        long checkpointMs = args.length > 2 ? Long.parseLong(args[2]) : 1000;
        long outOfOrdernessMs = args.length > 3 ? Long.parseLong(args[3]) : 5000;
        double chainRate = args.length > 4 ? Double.parseDouble(args[4]) : 0.1;
        long events = (long) (rate == 0 ? 2000 : rate) * spanSeconds;
        int hosts = (int) Math.max(1, Math.min(events / 20, 50_000));

        try (TestBroker broker = TestBroker.start()) {
            JobSettings settings = JobSettings.load(Path.of("jobs/kafka.yaml")).toBuilder()
                    .bootstrapServers(broker.bootstrapServers())
                    .inputTopics(List.of("bench-sysmon")).groupId("bench").alertsTopic("bench-alerts")
                    .deadLetterTopic("bench-dead-letters").transactionalIdPrefix("bench")
                    .checkpointInterval(Duration.ofMillis(checkpointMs))
                    .maxOutOfOrderness(Duration.ofMillis(outOfOrdernessMs)).idleTimeout(Duration.ofSeconds(5))
                    .build();
            broker.createTopic("bench-sysmon", PARTITIONS);
            broker.createTopic("bench-alerts", 2);
            broker.createTopic("bench-dead-letters", 1);
            RuleSet rules = RuleSet.fromFiles(settings.rules(), settings.placeholders());

            StreamExecutionEnvironment env = StreamingJob.environment(settings, new Configuration());
            StreamingJob.build(env, settings, rules);
            boolean backlog = rate == 0;
            // real time: the fleet starts a little after the job, so the job is up before the first event is due;
            // backlog: the fleet's span ends a minute ago (nothing from the future), all of it sent before the job
            Instant start = backlog ? Instant.now().minusSeconds(spanSeconds + 60L) : Instant.now().plusSeconds(15);
            TelemetryGenerator generator = new TelemetryGenerator(new TelemetryGenerator.Settings(hosts, events, chainRate,
                    Duration.ZERO, 7, start, Duration.ofSeconds(spanSeconds)));
            if (backlog) {
                long sent = produce(broker.bootstrapServers(), generator, new ConcurrentHashMap<>(), new AtomicLong(), false);
                drainBacklog(broker.bootstrapServers(), env, sent, hosts, generator.expectedAlerts().size(), checkpointMs,
                        outOfOrdernessMs);
                return;
            }
            JobClient job = env.executeAsync("sigma-cep kafka latency");
            Map<String, Long> sentAt = new ConcurrentHashMap<>(); // host|event time → when it was sent
            Map<String, List<Long>> latencies = new TreeMap<>();
            AtomicBoolean producing = new AtomicBoolean(true);
            AtomicLong lastSent = new AtomicLong();
            int expectedCorrelations = generator.expectedAlerts().size();
            AtomicLong drainMillis = new AtomicLong();
            Thread consumer = new Thread(() -> consume(broker.bootstrapServers(), sentAt, latencies, producing,
                    expectedCorrelations, drainMillis));
            consumer.start();

            long sent = produce(broker.bootstrapServers(), generator, sentAt, lastSent, true);
            double producedSeconds = (lastSent.get() - start.toEpochMilli()) / 1000.0;
            producing.set(false);
            consumer.join();
            job.cancel().get();

            print(rate, spanSeconds, hosts, sent, producedSeconds, checkpointMs, outOfOrdernessMs, latencies,
                    expectedCorrelations, drainMillis.get());
        }
    }

    /**
     * Sends every record, when the wall clock reaches its event time if {@code paced}, else at once; returns how many
     * were sent.
     */
    private static long produce(String servers, TelemetryGenerator generator, Map<String, Long> sentAt,
                                AtomicLong lastSent, boolean paced) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        long[] count = {0};
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            generator.forEach(record -> {
                long wait = paced ? record.timeMillis() - System.currentTimeMillis() : 0;
                if (wait > 0) {
                    try {
                        Thread.sleep(wait);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException(e);
                    }
                }
                long now = System.currentTimeMillis();
                sentAt.putIfAbsent(record.host() + "|" + record.timeMillis(), now);
                producer.send(new ProducerRecord<>("bench-sysmon", record.host(), record.json()));
                lastSent.set(now);
                count[0]++;
            });
            producer.flush();
        }
        return count[0];
    }

    /**
     * Reads committed alerts until every expected correlation alert came (and 5 s passed without another alert), or
     * nothing came for a minute after production ended; {@code drainMillis} is how long after the last record was
     * sent the last alert came.
     */
    private static void consume(String servers, Map<String, Long> sentAt, Map<String, List<Long>> latencies,
                                AtomicBoolean producing, int expectedCorrelations, AtomicLong drainMillis) {
        AtomicLong correlations = new AtomicLong();
        try (KafkaConsumer<String, String> consumer = alertReader(servers)) {
            long quietSince = System.currentTimeMillis();
            long producedAt = 0;
            while (true) {
                var records = consumer.poll(Duration.ofMillis(200));
                long now = System.currentTimeMillis();
                for (ConsumerRecord<String, String> record : records) {
                    JsonNode alert = parse(record.value());
                    long lastEvent = Instant.parse(alert.get("last_event_time").asText()).toEpochMilli();
                    Long sent = sentAt.get(alert.get("host").asText() + "|" + lastEvent);
                    String kind = alert.has("correlation_type") ? alert.get("rule_name").asText() : "single-event rules";
                    // an alert whose last event was not sent by this run (none expected) counts as -1
                    latencies.computeIfAbsent(kind, k -> Collections.synchronizedList(new ArrayList<>()))
                            .add(sent == null ? -1 : now - sent);
                    if (alert.has("correlation_type")) {
                        correlations.incrementAndGet();
                    }
                }
                if (!records.isEmpty()) {
                    quietSince = now;
                }
                if (!producing.get() && producedAt == 0) {
                    producedAt = now;
                }
                // done when every expected correlation alert came, or nothing came for a minute after production
                if (producedAt > 0 && (correlations.get() >= expectedCorrelations && now - quietSince > 5_000
                        || now - quietSince > 60_000)) {
                    drainMillis.set(quietSince - producedAt);
                    return;
                }
            }
        }
    }

    /**
     * The job's sustained ceiling: the whole fleet waits in the topic, the job starts and reads it as fast as it can;
     * the rate is the events over the time from submission to the last alert (job start-up included, and stated).
     */
    private static void drainBacklog(String servers, StreamExecutionEnvironment env, long sent, int hosts,
                                     int expectedCorrelations, long checkpointMs, long outOfOrdernessMs)
            throws Exception {
        long submitted = System.currentTimeMillis();
        JobClient job = env.executeAsync("sigma-cep kafka backlog");
        long[] counts = new long[2]; // alerts, correlation alerts
        long lastAlert = submitted;
        long firstAlert = 0;
        try (KafkaConsumer<String, String> consumer = alertReader(servers)) {
            while (true) {
                var records = consumer.poll(Duration.ofMillis(200));
                long now = System.currentTimeMillis();
                for (ConsumerRecord<String, String> record : records) {
                    counts[0]++;
                    if (record.value().contains("\"correlation_type\"")) {
                        counts[1]++;
                    }
                }
                if (!records.isEmpty()) {
                    lastAlert = now;
                    firstAlert = firstAlert == 0 ? now : firstAlert;
                }
                // the last chain of each host waits for a watermark past it, which the end of the backlog never
                // brings: done when nothing came for 15 s
                if (now - lastAlert > 15_000 && counts[0] > 0 || now - submitted > 3_600_000) {
                    break;
                }
            }
        }
        job.cancel().get();
        double seconds = (lastAlert - submitted) / 1000.0;
        double afterFirst = (lastAlert - firstAlert) / 1000.0;
        System.out.printf("%nKafka backlog -> job -> Kafka: %,d events from %,d hosts waiting in the topic; checkpoint"
                        + " interval %d ms, max-out-of-orderness %d ms; %,d alerts (%,d correlation alerts of %,d"
                        + " expected) committed, the last %.1f s after submission (%.1f s after the first):"
                        + " %,.0f events/s from submission, %,.0f events/s from the first alert%n",
                sent, hosts, checkpointMs, outOfOrdernessMs, counts[0], counts[1], expectedCorrelations, seconds,
                afterFirst, sent / seconds, sent / afterFirst);
        System.out.println(JSON.writeValueAsString(new TreeMap<>(Map.of("events", sent, "alerts", counts[0],
                "correlation_alerts", counts[1], "seconds_from_submission", seconds,
                "backlog_events_per_s", Math.round(sent / seconds)))));
    }

    /** A {@code read_committed} reader of the alerts topic from its start, as a downstream consumer would read it. */
    private static KafkaConsumer<String, String> alertReader(String servers) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-reader");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props);
        consumer.subscribe(List.of("bench-alerts"));
        return consumer;
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException("alert is not JSON: " + json, e);
        }
    }

    private static void print(int rate, int span, int hosts, long sent, double producedSeconds, long checkpointMs,
                              long outOfOrdernessMs, Map<String, List<Long>> latencies, int expectedCorrelations,
                              long drainMillis) {
        System.out.printf("%nKafka -> job -> Kafka: %,d events from %,d hosts sent in %.1f s (%,.0f events/s, target %,d);"
                        + " checkpoint interval %d ms, max-out-of-orderness %d ms; %,d flagship correlation alerts expected;"
                + " the last alert came %.1f s after the last record was sent%n%n",
                sent, hosts, producedSeconds, sent / producedSeconds, rate, checkpointMs, outOfOrdernessMs,
                expectedCorrelations, drainMillis / 1000.0);
        System.out.println("| alerts | count | p50 ms | p95 ms | p99 ms | max ms |");
        System.out.println("|---|---|---|---|---|---|");
        Map<String, Object> json = new HashMap<>();
        json.put("events", sent);
        json.put("events_per_s", Math.round(sent / producedSeconds));
        json.put("target_rate", rate);
        json.put("drain_ms", drainMillis);
        latencies.forEach((kind, values) -> {
            List<Long> sorted = new ArrayList<>(values.stream().filter(latency -> latency >= 0).toList());
            Collections.sort(sorted);
            if (sorted.isEmpty()) {
                System.out.printf("| %s | %,d (no sent event found) | | | | |%n", kind, values.size());
                return;
            }
            long p50 = percentile(sorted, 50), p95 = percentile(sorted, 95), p99 = percentile(sorted, 99);
            System.out.printf("| %s | %,d | %,d | %,d | %,d | %,d |%n", kind, sorted.size(), p50, p95, p99,
                    sorted.get(sorted.size() - 1));
            json.put(kind + "_count", sorted.size());
            json.put(kind + "_p50_ms", p50);
            json.put(kind + "_p99_ms", p99);
        });
        try {
            System.out.println(JSON.writeValueAsString(new TreeMap<>(json)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static long percentile(List<Long> sorted, int percent) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(percent / 100.0 * sorted.size()) - 1));
    }
}
