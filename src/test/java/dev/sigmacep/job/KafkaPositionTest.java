package dev.sigmacep.job;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The ends of a bounded Kafka read, as {@code replay --from} and {@code --to} write them. */
class KafkaPositionTest {

    @Test
    void earliestAndLatestInAnyCase() {
        assertThat(KafkaPosition.parse("earliest", "--from")).isEqualTo(KafkaPosition.EARLIEST);
        assertThat(KafkaPosition.parse(" LATEST ", "--to")).isEqualTo(KafkaPosition.LATEST);
    }

    @Test
    void anInstantOrEpochMillisIsARecordTimestamp() {
        assertThat(KafkaPosition.parse("2024-03-12T00:00:00Z", "--from"))
                .isEqualTo(new KafkaPosition(KafkaPosition.Kind.TIMESTAMP, 1_710_201_600_000L, Map.of()));
        assertThat(KafkaPosition.parse("2024-03-12T00:00:00.250Z", "--from").timestampMillis()).isEqualTo(1_710_201_600_250L);
        assertThat(KafkaPosition.parse("1710201600000", "--to"))
                .isEqualTo(new KafkaPosition(KafkaPosition.Kind.TIMESTAMP, 1_710_201_600_000L, Map.of()));
    }

    @Test
    void offsetsPerTopicAndPartitionTopicNamesWithDotsAndDashes() {
        KafkaPosition position = KafkaPosition.parse("sysmon:0:42,sysmon:3:7,win.sec-logs_1:12:0", "--from");
        assertThat(position.kind()).isEqualTo(KafkaPosition.Kind.OFFSETS);
        assertThat(position.offsets()).isEqualTo(Map.of(new TopicPartition("sysmon", 0), 42L,
                new TopicPartition("sysmon", 3), 7L, new TopicPartition("win.sec-logs_1", 12), 0L));
    }

    @Test
    void badFormsAreRejectedNamingTheOptionAndTheFormsItTakes() {
        for (String bad : new String[]{"", "yesterday", "sysmon:0", "sysmon:x:1", ":0:1", "sysmon:0:-1", "sysmon:0:1,",
                "2024-03-12 00:00:00"}) {
            assertThatThrownBy(() -> KafkaPosition.parse(bad, "--to"))
                    .as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("--to '" + bad + "': expected earliest, latest, a timestamp (2024-03-12T00:00:00Z or"
                            + " epoch milliseconds) or offsets TOPIC:PARTITION:OFFSET[,...]");
        }
        assertThatThrownBy(() -> KafkaPosition.parse("sysmon:0:1,sysmon:0:2", "--from"))
                .hasMessage("--from 'sysmon:0:1,sysmon:0:2': partition sysmon-0 given twice");
    }

    @Test
    void earliestCannotEndARead() {
        assertThatThrownBy(() -> KafkaPosition.EARLIEST.stopping()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--to earliest reads nothing");
    }
}
