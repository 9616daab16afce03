package dev.sigmacep.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A single-node KRaft Kafka broker inside the test JVM (Kafka's own test kit through spring-kafka-test's
 * {@link EmbeddedKafkaKraftBroker}; no Spring context), with the few client operations the end-to-end tests need.
 * Public for the command-line tests.
 */
public final class TestBroker implements AutoCloseable {
    private final EmbeddedKafkaKraftBroker broker;

    private TestBroker(EmbeddedKafkaKraftBroker broker) {
        this.broker = broker;
    }

    public static TestBroker start() {
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 1);
        broker.brokerProperties(Map.of(
                // one broker: the internal topics cannot have more replicas, or initTransactions() hangs
                "offsets.topic.replication.factor", "1",
                "offsets.topic.num.partitions", "1",
                "transaction.state.log.replication.factor", "1",
                "transaction.state.log.min.isr", "1",
                "transaction.state.log.num.partitions", "1",
                "share.coordinator.state.topic.replication.factor", "1",
                "share.coordinator.state.topic.min.isr", "1",
                "group.initial.rebalance.delay.ms", "0"));
        // transaction.max.timeout.ms stays at Kafka's default (15 min): jobs/kafka.yaml's 10 min must fit it
        broker.afterPropertiesSet();
        return new TestBroker(broker);
    }

    public String bootstrapServers() {
        return broker.getBrokersAsString();
    }

    public void createTopic(String name, int partitions) throws ExecutionException, InterruptedException {
        createTopic(name, partitions, Map.of());
    }

    /**
     * Creates a topic and waits until the broker serves it: the controller confirms the creation first, and a
     * client that asks the broker right then may still be told the topic does not exist.
     *
     * @param configs topic settings, e.g. {@code retention.ms}
     */
    void createTopic(String name, int partitions, Map<String, String> configs)
            throws ExecutionException, InterruptedException {
        broker.addTopics(new NewTopic(name, partitions, (short) 1).configs(configs));
        Waiting.until(() -> topics().contains(name), Duration.ofSeconds(30),
                () -> "topic " + name + " created, but the broker does not list it");
    }

    /** The names of the topics the broker has, internal ones left out. */
    public Set<String> topics() throws ExecutionException, InterruptedException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            return admin.listTopics().names().get();
        }
    }

    /** Sends the records in order and waits until the broker has acknowledged each of them. */
    void produce(List<ProducerRecord<String, String>> records) throws ExecutionException, InterruptedException {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
            for (ProducerRecord<String, String> record : records) {
                sent.add(producer.send(record));
            }
            producer.flush();
            for (java.util.concurrent.Future<?> future : sent) {
                future.get();
            }
        }
    }

    /**
     * The values of a topic from its beginning: waits until {@code done} holds for what was read, then goes on
     * reading for {@code quiet} more so that anything extra (a duplicate) shows up as well. After {@code timeout}
     * without {@code done}, what was read so far (the caller's assertions then tell what is missing).
     */
    List<String> read(String topic, boolean committedOnly, Predicate<List<String>> done, Duration timeout,
                      Duration quiet) {
        return values(readRecords(topic, committedOnly, records -> done.test(values(records)), timeout, quiet));
    }

    private static List<String> values(List<ConsumerRecord<String, String>> records) {
        return records.stream().map(ConsumerRecord::value).toList();
    }

    /** As {@link #read}, with each record's key, timestamp and the rest. */
    List<ConsumerRecord<String, String>> readRecords(String topic, boolean committedOnly,
                                                     Predicate<List<ConsumerRecord<String, String>>> done,
                                                     Duration timeout, Duration quiet) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, committedOnly ? "read_committed" : "read_uncommitted");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            long quietUntil = Long.MAX_VALUE;
            while (System.nanoTime() < quietUntil) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                if (quietUntil == Long.MAX_VALUE && done.test(records)) {
                    quietUntil = System.nanoTime() + quiet.toNanos();
                }
                if (quietUntil == Long.MAX_VALUE && System.nanoTime() > deadline) {
                    break;
                }
            }
        }
        return records;
    }

    @Override
    public void close() {
        broker.destroy();
    }

    static void sleep(Duration duration) throws InterruptedException {
        TimeUnit.MILLISECONDS.sleep(duration.toMillis());
    }
}
