package dev.sigmacep.job;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The check, before the streaming job is submitted, that every topic it reads or writes exists. Without it a
 * missing input topic fails the job's source on the cluster, which restarts it again and again, and a missing
 * output topic is created by the broker with its defaults (auto.create.topics.enable) or, where that is off,
 * blocks the sink until it fails; neither says which topic is missing.
 */
final class KafkaTopics {
    /** How long the broker has to answer. */
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private KafkaTopics() {
    }

    /**
     * @throws IllegalArgumentException naming the missing topics, their settings and the bootstrap servers
     * @throws IOException when the brokers cannot be asked (unreachable, not authorized, ...)
     */
    static void requireExisting(JobSettings settings) throws IOException {
        JobSettings.Kafka kafka = settings.kafka();
        Map<String, String> settingOf = new LinkedHashMap<>();
        kafka.inputTopics().forEach(topic -> settingOf.putIfAbsent(topic, "kafka.input-topics"));
        settingOf.putIfAbsent(kafka.alertsTopic(), "kafka.alerts-topic");
        settingOf.putIfAbsent(kafka.deadLetterTopic(), "kafka.dead-letter-topic");
        if (settings.ruleUpdates().kafkaTopic() != null) {
            settingOf.putIfAbsent(settings.ruleUpdates().kafkaTopic(), "rule-updates.kafka-topic");
        }
        if (settings.ruleUpdates().statusTopic() != null) {
            settingOf.putIfAbsent(settings.ruleUpdates().statusTopic(), "rule-updates.status-topic");
        }
        requireExisting(kafka, settingOf);
    }

    /**
     * @param settingOf each topic to check, with the setting or option that names it (for the message)
     * @throws IllegalArgumentException naming the missing topics, their settings and the bootstrap servers
     * @throws IOException when the brokers cannot be asked (unreachable, not authorized, ...)
     */
    static void requireExisting(JobSettings.Kafka kafka, Map<String, String> settingOf) throws IOException {
        String servers = kafka.bootstrapServers();
        List<String> missing = new ArrayList<>();
        Admin admin = admin(kafka);
        try {
            Map<String, KafkaFuture<TopicDescription>> described = admin.describeTopics(settingOf.keySet()).topicNameValues();
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            for (Map.Entry<String, String> topic : settingOf.entrySet()) {
                try {
                    described.get(topic.getKey()).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof UnknownTopicOrPartitionException) {
                        missing.add(topic.getKey() + " (" + topic.getValue() + ")");
                    } else if (cause instanceof org.apache.kafka.common.errors.TimeoutException) {
                        throw noAnswer(servers, cause.getMessage(), cause);
                    } else {
                        throw new IOException("cannot check Kafka topic " + topic.getKey() + " at " + servers
                                + " (kafka.bootstrap-servers): " + cause.getMessage(), cause);
                    }
                } catch (TimeoutException e) {
                    throw noAnswer(servers, "nothing within " + TIMEOUT.toSeconds() + " s", e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while checking the Kafka topics", e);
                }
            }
        } finally {
            // not the default close(), which waits for calls still pending when the brokers did not answer
            admin.close(Duration.ZERO);
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("missing Kafka topic" + (missing.size() > 1 ? "s" : "") + " at " + servers
                    + " (kafka.bootstrap-servers): " + String.join(", ", missing)
                    + "; create them before starting the job, or correct the configuration");
        }
    }

    private static IOException noAnswer(String servers, String detail, Throwable cause) {
        return new IOException("no answer from Kafka at " + servers + " (kafka.bootstrap-servers) while checking the"
                + " topics: " + detail, cause);
    }

    /** An admin client with the job's client properties (security settings and the like). */
    private static Admin admin(JobSettings.Kafka kafka) {
        Properties properties = new Properties();
        properties.putAll(kafka.properties());
        properties.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try {
            return Admin.create(properties);
        } catch (KafkaException e) {
            throw new IllegalArgumentException("kafka.bootstrap-servers " + kafka.bootstrapServers() + ": " + e.getMessage(), e);
        }
    }
}
