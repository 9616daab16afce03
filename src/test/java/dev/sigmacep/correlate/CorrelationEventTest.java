package dev.sigmacep.correlate;

import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** An input whose records its operator keeps apart: what it says, how it is written, and the earlier format. */
class CorrelationEventTest {
    private static final CorrelationEvent INPUT = new CorrelationEvent(List.of("H1"), 0b10, "H1", 7_000,
            List.of("42"), List.of(("{\"a\":\"" + "x".repeat(100) + "\"}").getBytes(StandardCharsets.UTF_8)));

    @Test
    void anInputWithItsRecordsApartSaysWhereTheyAreAndGetsThemBack() {
        CorrelationEvent apart = INPUT.withRecordsApart(7, 3);
        assertThat(apart.recordsApart()).isTrue();
        assertThat(apart.records()).isEmpty();
        assertThat(apart.recordsTime()).isEqualTo(7);
        assertThat(apart.recordsIndex()).isEqualTo(3);
        assertThat(apart.key()).isEqualTo(INPUT.key());
        assertThat(apart.values()).isEqualTo(INPUT.values());
        assertThat(apart).isNotEqualTo(INPUT).hasToString("CorrelationEvent{H1, roles=10, 7000, values=[42], records at 7#3}");
        assertThat(apart.withRoles(0b1).recordsIndex()).as("roles added keep the place").isEqualTo(3);
        CorrelationEvent back = apart.withRecords(INPUT.records());
        assertThat(back).isEqualTo(INPUT);
        assertThat(back.recordsApart()).isFalse();
        assertThat(INPUT.recordsApart()).isFalse();
        assertThatThrownBy(() -> INPUT.withRecordsApart(7, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anInputWithItsRecordsApartIsWrittenWithoutThem() throws IOException {
        CorrelationEvent apart = INPUT.withRecordsApart(7, 3);
        byte[] bytes = write(apart);
        assertThat(bytes.length).as("the record is not written").isLessThanOrEqualTo(write(INPUT).length - 100);
        CorrelationEvent read = CorrelationEvent.Serializer.INSTANCE.deserialize(new DataInputDeserializer(bytes));
        assertThat(read).isEqualTo(apart);
        assertThat(read.recordsTime()).isEqualTo(7);
        assertThat(read.recordsIndex()).isEqualTo(3);
    }

    @Test
    void version2BytesStillRead() throws IOException {
        byte[] bytes = write(INPUT);
        assertThat(bytes[0]).as("the format version").isEqualTo((byte) 3);
        bytes[0] = 2; // version 2 wrote an input with its records exactly as version 3 does
        assertThat(CorrelationEvent.Serializer.INSTANCE.deserialize(new DataInputDeserializer(bytes))).isEqualTo(INPUT);
    }

    private static byte[] write(CorrelationEvent input) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        CorrelationEvent.Serializer.INSTANCE.serialize(input, out);
        return out.getCopyOfBuffer();
    }
}
