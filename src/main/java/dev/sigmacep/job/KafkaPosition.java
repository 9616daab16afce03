package dev.sigmacep.job;

import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One end of a bounded Kafka read ({@code replay --from}, {@code --to}): {@code earliest}, {@code latest}, a record
 * timestamp (an ISO-8601 instant such as {@code 2024-03-12T00:00:00Z}, or epoch milliseconds), or offsets
 * ({@code TOPIC:PARTITION:OFFSET,...}). A read covers [from, to): the record at {@code to} is not read.
 * {@code latest} as the end means the end offsets when the job starts (with {@code read_committed}, the last
 * committed record).
 *
 * @param timestampMillis for {@link Kind#TIMESTAMP}: the first record read (from) or not read (to) is the first with
 *                        a Kafka timestamp at or after it
 * @param offsets         for {@link Kind#OFFSETS}; partitions not listed start at the earliest and end at the latest
 */
public record KafkaPosition(Kind kind, long timestampMillis, Map<TopicPartition, Long> offsets) {
    public enum Kind { EARLIEST, LATEST, TIMESTAMP, OFFSETS }

    public static final KafkaPosition EARLIEST = new KafkaPosition(Kind.EARLIEST, 0, Map.of());
    public static final KafkaPosition LATEST = new KafkaPosition(Kind.LATEST, 0, Map.of());

    public KafkaPosition {
        offsets = Map.copyOf(offsets);
    }

    /**
     * @param option the option it came from, for the message
     * @throws IllegalArgumentException naming the option and the forms it takes
     */
    public static KafkaPosition parse(String text, String option) {
        String value = text.trim();
        switch (value.toLowerCase(Locale.ROOT)) {
            case "earliest":
                return EARLIEST;
            case "latest":
                return LATEST;
            default:
                break;
        }
        if (value.matches("\\d{1,18}")) {
            return new KafkaPosition(Kind.TIMESTAMP, Long.parseLong(value), Map.of());
        }
        try {
            return new KafkaPosition(Kind.TIMESTAMP, Instant.parse(value).toEpochMilli(), Map.of());
        } catch (DateTimeParseException notAnInstant) {
            // offsets, or nothing
        }
        Map<TopicPartition, Long> offsets = new LinkedHashMap<>();
        for (String item : value.split(",", -1)) {
            int offsetAt = item.lastIndexOf(':');
            int partitionAt = offsetAt < 0 ? -1 : item.lastIndexOf(':', offsetAt - 1);
            if (partitionAt < 1 || !item.substring(0, partitionAt).matches("[A-Za-z0-9._-]+")
                    || !item.substring(partitionAt + 1, offsetAt).matches("\\d{1,9}")
                    || !item.substring(offsetAt + 1).matches("\\d{1,18}")) {
                throw new IllegalArgumentException(option + " '" + text + "': expected earliest, latest, a timestamp"
                        + " (2024-03-12T00:00:00Z or epoch milliseconds) or offsets TOPIC:PARTITION:OFFSET[,...]");
            }
            TopicPartition partition = new TopicPartition(item.substring(0, partitionAt),
                    Integer.parseInt(item.substring(partitionAt + 1, offsetAt)));
            if (offsets.put(partition, Long.parseLong(item.substring(offsetAt + 1))) != null) {
                throw new IllegalArgumentException(option + " '" + text + "': partition " + partition + " given twice");
            }
        }
        return new KafkaPosition(Kind.OFFSETS, 0, offsets);
    }

    /** Where the read starts. */
    OffsetsInitializer starting() {
        return switch (kind) {
            case EARLIEST -> OffsetsInitializer.earliest();
            case LATEST -> OffsetsInitializer.latest();
            case TIMESTAMP -> OffsetsInitializer.timestamp(timestampMillis);
            case OFFSETS -> OffsetsInitializer.offsets(offsets, OffsetResetStrategy.EARLIEST);
        };
    }

    /**
     * Where the read stops (exclusive).
     *
     * @throws IllegalArgumentException for {@code earliest}, which would read nothing
     */
    OffsetsInitializer stopping() {
        return switch (kind) {
            case EARLIEST -> throw new IllegalArgumentException("--to earliest reads nothing; give latest, a timestamp"
                    + " or offsets");
            case LATEST -> OffsetsInitializer.latest();
            case TIMESTAMP -> OffsetsInitializer.timestamp(timestampMillis);
            case OFFSETS -> OffsetsInitializer.offsets(offsets, OffsetResetStrategy.LATEST);
        };
    }
}
