package dev.sigmacep.job;

import dev.sigmacep.event.DecodeResult;
import dev.sigmacep.event.EventDecoder;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static dev.sigmacep.testing.FlatSysmon.processStart;
import static org.assertj.core.api.Assertions.assertThat;

/** The rule itself, against a fixed wall clock: how far ahead an event may be, and what a refused one becomes. */
class FutureEventsTest {
    private static final Instant NOW = Instant.parse("2026-12-02T13:00:00Z");
    private static final FutureEvents ONE_HOUR =
            new FutureEvents(Duration.ofHours(1), Clock.fixed(NOW, ZoneOffset.UTC));
    private static final EventDecoder DECODER = new EventDecoder();

    private static DecodeResult eventAt(Instant time) {
        return DECODER.decode(processStart("H1", time, "{g}", "C:\\Windows\\notepad.exe", "notepad.exe", "{p}",
                "C:\\Windows\\explorer.exe"));
    }

    @Test
    void eventsUpToTheBoundAheadOfTheWallClockPass() {
        for (Instant time : new Instant[] {Instant.parse("2019-05-01T00:00:00Z"), Instant.EPOCH, NOW,
                NOW.plus(Duration.ofHours(1))}) {
            DecodeResult record = eventAt(time);
            assertThat(ONE_HOUR.check(record)).as("event at %s", time).isSameAs(record);
        }
    }

    @Test
    void anEventOneMillisecondBeyondTheBoundIsADeadLetterWithItsRecord() {
        Instant time = NOW.plus(Duration.ofHours(1)).plusMillis(1);
        DecodeResult record = eventAt(time);
        DecodeResult checked = ONE_HOUR.check(record);
        assertThat(checked.event()).isNull();
        assertThat(checked.deadLetter().reason())
                .isEqualTo("event time in the future: 2026-12-02T14:00:00.001Z is more than 1h ahead of the wall clock");
        assertThat(checked.deadLetter().raw()).isEqualTo(record.event().raw());
        assertThat(FutureEvents.isFutureDated(checked.deadLetter())).isTrue();
    }

    @Test
    void yearNineThousandNineHundredNinetyNine() {
        DecodeResult checked = ONE_HOUR.check(eventAt(Instant.parse("9999-12-31T23:59:59.999Z")));
        assertThat(checked.deadLetter().reason())
                .isEqualTo("event time in the future: 9999-12-31T23:59:59.999Z is more than 1h ahead of the wall clock");
    }

    @Test
    void theWallClockIsReadForEveryRecord() {
        Instant[] now = {NOW};
        Clock moving = new Clock() {
            @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
            @Override public Clock withZone(java.time.ZoneId zone) { return this; }
            @Override public Instant instant() { return now[0]; }
        };
        FutureEvents guard = new FutureEvents(Duration.ofMinutes(5), moving);
        DecodeResult record = eventAt(NOW.plus(Duration.ofMinutes(10)));
        assertThat(guard.check(record).event()).isNull();
        now[0] = NOW.plus(Duration.ofMinutes(5));
        assertThat(guard.check(record)).isSameAs(record);
    }

    @Test
    void deadLettersPassUnchangedAndOnlyTheGuardsOwnCount() {
        DecodeResult deadLetter = DecodeResult.dead("no host", "{}");
        assertThat(ONE_HOUR.check(deadLetter)).isSameAs(deadLetter);
        assertThat(FutureEvents.isFutureDated(deadLetter.deadLetter())).isFalse();
    }

    @Test
    void withoutABoundEveryTimePasses() {
        DecodeResult record = eventAt(Instant.parse("9999-12-31T23:59:59Z"));
        assertThat(FutureEvents.NONE.check(record)).isSameAs(record);
        // a bound of centuries saturates instead of wrapping into the past
        FutureEvents huge = new FutureEvents(Duration.ofMillis(Long.MAX_VALUE), Clock.fixed(NOW, ZoneOffset.UTC));
        assertThat(huge.check(record)).isSameAs(record);
    }

    @Test
    void boundsAreWrittenAsJobFilesWriteThem() {
        assertThat(FutureEvents.text(Duration.ofHours(1))).isEqualTo("1h");
        assertThat(FutureEvents.text(Duration.ofMinutes(90))).isEqualTo("90m");
        assertThat(FutureEvents.text(Duration.ofDays(2))).isEqualTo("2d");
        assertThat(FutureEvents.text(Duration.ofMillis(1500))).isEqualTo("1500ms");
    }

    @Test
    void theStreamingGuardTakesTheJobSetting() {
        JobSettings settings = JobSettings.builder().maxFuture(Duration.ofMinutes(10)).build();
        DecodeResult record = eventAt(Instant.now().plus(Duration.ofMinutes(20)));
        assertThat(FutureEvents.streaming(settings.eventTime()).check(record).deadLetter().reason())
                .endsWith(" is more than 10m ahead of the wall clock");
    }
}
