package dev.sigmacep.metrics;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class EventTimeLagTest {
    @Test
    void wallClockMinusTheLatestEventTimeSeen() {
        AtomicLong now = new AtomicLong(10_000);
        EventTimeLag lag = new EventTimeLag(now::get);

        assertThat(lag.seen(4_000)).as("first event").isTrue();
        assertThat(lag.seen(7_000)).isFalse();
        assertThat(lag.seen(5_000)).as("an older event does not move it back").isFalse();
        assertThat(lag.getValue()).isEqualTo(3_000);

        now.set(12_500); // the input stalls: the lag grows with the wall clock
        assertThat(lag.getValue()).isEqualTo(5_500);
    }
}
