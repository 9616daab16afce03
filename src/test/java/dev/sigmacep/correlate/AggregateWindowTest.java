package dev.sigmacep.correlate;

import dev.sigmacep.sigma.rule.CorrelationRule;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A group's window on its own: what it keeps, what it lets go, its bound, and its serialized form. */
class AggregateWindowTest {

    @Test
    void entriesLeaveInTimeOrderAndTheBoundDropsTheOldest() {
        AggregateWindow window = new AggregateWindow(CorrelationRule.Type.VALUE_SUM, true);
        for (int i = 0; i < AggregateWindow.MAX_ENTRIES; i++) {
            assertThat(window.add(i, null, i)).isFalse();
        }
        assertThat(window.add(AggregateWindow.MAX_ENTRIES, null, 1)).as("at the bound").isTrue();
        assertThat(window.size()).isEqualTo(AggregateWindow.MAX_ENTRIES);
        assertThat(window.oldestTime()).isEqualTo(1);
        assertThat(window.evictThrough(4_999)).isEqualTo(4_999);
        assertThat(window.oldestTime()).isEqualTo(5_000);
        assertThat(window.numbers()[0]).isEqualTo(5_000);
    }

    @Test
    void distinctValuesKeepTheirLatestTime() {
        AggregateWindow window = new AggregateWindow(CorrelationRule.Type.VALUE_COUNT, true);
        window.add(10, "a", 0);
        window.add(20, "b", 0);
        window.add(30, "a", 0);
        assertThat(window.size()).isEqualTo(2);
        assertThat(window.oldestTime()).isEqualTo(20);
        window.evictThrough(25);
        assertThat(window.size()).isEqualTo(1);
        assertThat(window.oldestTime()).isEqualTo(30);
    }

    @Test
    void aSpanCheckedAtCloseCountsWithoutKeepingEvents() {
        AggregateWindow window = new AggregateWindow(CorrelationRule.Type.EVENT_COUNT, false);
        for (int i = 0; i < 3 * AggregateWindow.MAX_ENTRIES; i++) {
            window.add(i, null, 0);
        }
        assertThat(window.size()).isEqualTo(3L * AggregateWindow.MAX_ENTRIES); // no bound needed: a count is a number
    }

    @Test
    void everyKindRoundTripsAndCopiesShareNothing() throws IOException {
        CorrelationEvent newest = new CorrelationEvent(List.of("u"), 1, "H", 30, List.of("7"),
                List.of(new byte[]{'{', '}'}));
        for (CorrelationRule.Type type : CorrelationRule.Type.values()) {
            if (type.temporal()) continue;
            for (boolean slides : new boolean[]{true, false}) {
                AggregateWindow window = new AggregateWindow(type, slides);
                window.add(10, "a", 1.5);
                window.add(20, "b", 2.5);
                window.newest(newest);
                window.spanStart(10);
                window.timerAt(99);
                AggregateWindow copy = roundTrip(window);
                assertThat(copy).as(type + " " + slides).isEqualTo(window);
                AggregateWindow deep = AggregateWindow.Serializer.INSTANCE.copy(window);
                deep.add(30, "c", 3.5);
                assertThat(deep).isNotEqualTo(window);
                assertThat(roundTrip(window)).isEqualTo(copy);
            }
        }
    }

    private static AggregateWindow roundTrip(AggregateWindow window) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        AggregateWindow.Serializer.INSTANCE.serialize(window, out);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        AggregateWindow copy = AggregateWindow.Serializer.INSTANCE.deserialize(in);
        assertThat(in.available()).isZero();
        return copy;
    }
}
