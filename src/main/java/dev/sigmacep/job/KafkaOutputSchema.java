package dev.sigmacep.job;

import org.apache.flink.connector.kafka.lineage.DefaultKafkaDatasetFacet;
import org.apache.flink.connector.kafka.lineage.DefaultKafkaDatasetIdentifier;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacet;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacetProvider;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.util.List;
import java.util.Optional;

/**
 * Writes {@link KafkaOutput}s to one topic, stamped with the time they are produced. Flink's own record serializer
 * passes on the element's timestamp, which here is an event time; but a Kafka record's timestamp drives retention,
 * so alerts about historical telemetry (a backfill, a replay through Kafka) would be deleted at the broker's next
 * retention check. Event times stay inside the JSON.
 */
final class KafkaOutputSchema implements KafkaRecordSerializationSchema<KafkaOutput>, KafkaDatasetFacetProvider {
    private final String topic;

    KafkaOutputSchema(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(KafkaOutput output, KafkaSinkContext context, Long elementTimestamp) {
        // no partition (the producer hashes the key) and no timestamp: the producer stamps the time it sends the
        // record, or the broker its append time on a topic with message.timestamp.type=LogAppendTime
        return new ProducerRecord<>(topic, null, null, output.key(), output.value());
    }

    /** The topic, for Flink's lineage graph (which the builder's serializer also reports). */
    @Override
    public Optional<KafkaDatasetFacet> getKafkaDatasetFacet() {
        return Optional.of(new DefaultKafkaDatasetFacet(DefaultKafkaDatasetIdentifier.ofTopics(List.of(topic))));
    }
}
