package dev.sigmacep.event;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import static org.assertj.core.api.Assertions.assertThat;

class EventTimeParserTest {

    private static long micros(String instant) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.parse(instant));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "2023-09-05 16:46:33.808             | 2023-09-05T16:46:33.808Z",      // Sysmon UtcTime
            "2020-10-20T22:33:02.059170Z         | 2020-10-20T22:33:02.059170Z",   // evtx_dump SystemTime
            "2022-05-13T08:54:05.1230000Z        | 2022-05-13T08:54:05.123Z",      // Sentinel, 100 ns ticks
            "2019-05-18T20:37:16.197067800Z      | 2019-05-18T20:37:16.197067Z",   // nanoseconds, truncated
            "2019-12-24 23:52:48                 | 2019-12-24T23:52:48Z",          // NXLog EventTime
            "2020-06-10T02:50:58.583Z            | 2020-06-10T02:50:58.583Z",      // @timestamp
            "2024-03-12T10:00:00+01:00           | 2024-03-12T09:00:00Z",
            "2024-03-12T10:00:00.5-05:30         | 2024-03-12T15:30:00.5Z",
            "2024-03-12T10:00:00+0100            | 2024-03-12T09:00:00Z",
            "2024-03-12 10:00:00+01              | 2024-03-12T09:00:00Z",
            "2024-02-29T00:00:00Z                | 2024-02-29T00:00:00Z",
            "1969-12-31T23:59:59.999999Z         | 1969-12-31T23:59:59.999999Z",
            "2000-03-01T00:00:00Z                | 2000-03-01T00:00:00Z",
    })
    void parsesTheFormatsSeenInTheData(String text, String expected) {
        assertThat(EventTimeParser.parse(text)).isEqualTo(micros(expected));
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"", "yesterday", "2023-09-05", "2023-13-05 16:46:33", "2023-02-29 16:46:33",
            "2023-09-05 24:00:00", "2023-09-05X16:46:33", "2023-09-05 16:46:33.", "2023-09-05 16:46:33 UTC",
            "2023-09-05 16:46:33+25:00", "2023-09-05 16:46:33Zjunk", "2023/09/05 16:46:33", "-023-09-05 16:46:33"})
    void rejectsWhatIsNotATimestamp(String text) {
        assertThat(EventTimeParser.parse(text)).isEqualTo(EventTimeParser.INVALID);
    }

    @Test
    void agreesWithJavaTimeOverManyInstants() {
        for (long s = -86_400L * 400; s < 86_400L * 365 * 200; s += 86_400L * 7 + 3_601) {
            Instant instant = Instant.ofEpochSecond(s, 123_456_000);
            assertThat(EventTimeParser.parse(instant.toString())).as(instant.toString())
                    .isEqualTo(s * 1_000_000 + 123_456);
        }
    }

    @Test
    void epochNumbersByMagnitude() {
        long expected = micros("2024-03-12T10:00:00Z");
        assertThat(EventTimeParser.fromEpochNumber(1_710_237_600d)).isEqualTo(expected);
        assertThat(EventTimeParser.fromEpochNumber(1_710_237_600_000d)).isEqualTo(expected);
        assertThat(EventTimeParser.fromEpochNumber(1_710_237_600_000_000d)).isEqualTo(expected);
        // fractions are rounded, not cut: .118 s is not 117,999.99 µs
        assertThat(EventTimeParser.fromEpochNumber(1_710_237_243.118d)).isEqualTo(1_710_237_243_118_000L);
        assertThat(EventTimeParser.fromEpochNumber(-1)).isEqualTo(EventTimeParser.INVALID);
        assertThat(EventTimeParser.fromEpochNumber(Double.NaN)).isEqualTo(EventTimeParser.INVALID);
    }
}
