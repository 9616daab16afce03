package dev.sigmacep.yaml;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DurationsTest {

    /** The union of what Sigma timespans (s, m, h, d) and job settings (also ms, zero, spaces around) took. */
    @ParameterizedTest
    @CsvSource({
            "500ms, PT0.5S", "30s, PT30S", "5m, PT5M", "90m, PT1H30M", "1h, PT1H", "1d, PT24H", "0s, PT0S",
            "' 2m ', PT2M", "007s, PT7S", "1234567890s, PT342935H31M30S"
    })
    void acceptedForms(String text, String expected) {
        assertThat(Durations.parse(text, "x")).isEqualTo(Duration.parse(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "5", "m", "5 m", "5min", "5M", "1.5h", "-5s", "+5s", "5m30s", "PT5M", "1w"})
    void otherTextIsNotADuration(String text) {
        assertThatThrownBy(() -> Durations.parse(text, "event-time.idle-timeout"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("event-time.idle-timeout '" + text + "' is not a duration (a whole number and a unit: ms,"
                        + " s, m, h or d, e.g. 500ms, 30s, 5m, 1h, 1d)");
    }

    @Test
    void durationsBeyondWhatFlinkCanTakeInMillisecondsAreTooLong() {
        assertThat(Durations.parse("106751991167d", "x")).isEqualTo(Duration.ofDays(106_751_991_167L));
        assertThatThrownBy(() -> Durations.parse("106751991168d", "correlation.timespan"))
                .hasMessage("correlation.timespan '106751991168d' is too long (at most 106751991167d)");
        assertThatThrownBy(() -> Durations.parse("99999999999999999999s", "x")).hasMessageEndingWith("is too long (at most 106751991167d)");
    }

    @Test
    void positiveDurationsAreLongerThanZero() {
        assertThat(Durations.parsePositive("1ms", "x")).isEqualTo(Duration.ofMillis(1));
        assertThatThrownBy(() -> Durations.parsePositive("0m", "correlation.timespan"))
                .hasMessage("correlation.timespan '0m' must be longer than zero");
        assertThatThrownBy(() -> Durations.parsePositive("soon", "checkpoint.interval"))
                .hasMessageStartingWith("checkpoint.interval 'soon' is not a duration");
    }
}
