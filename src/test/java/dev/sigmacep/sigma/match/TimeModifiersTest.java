package dev.sigmacep.sigma.match;

import dev.sigmacep.sigma.SigmaRuleException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static dev.sigmacep.sigma.match.TestEvent.compile;
import static dev.sigmacep.sigma.match.TestEvent.matches;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** minute, hour, day, week, month, year: a part of the field's timestamp, read as written. */
class TimeModifiersTest {

    @ParameterizedTest(name = "{0} of {1} = {2}")
    @CsvSource({
            "minute, 2024-05-17 08:30:12.345, 30",
            "hour,   2024-05-17 08:30:12.345, 8",
            "day,    2024-05-17 08:30:12.345, 17",
            "month,  2024-05-17 08:30:12.345, 5",
            "year,   2024-05-17 08:30:12.345, 2024",
            "week,   2024-05-17 08:30:12.345, 20",
            "hour,   2024-05-17T23:59:59Z, 23",
            "hour,   2024-05-17T23:59:59+02:00, 23",
            "week,   2021-01-03, 53",
            "week,   2024-12-30T00:00:00Z, 1",
            "day,    2024-02-29, 29",
    })
    void datePartEqualsTheValue(String part, String timestamp, int expected) throws Exception {
        assertThat(matches("UtcTime|" + part, expected, timestamp)).isTrue();
        assertThat(matches("UtcTime|" + part, expected + 1, timestamp)).isFalse();
    }

    @Test
    void datePartWithAComparison() throws Exception {
        assertThat(matches("UtcTime|hour|gte", 22, "2024-05-17 23:10:00.000")).isTrue();
        assertThat(matches("UtcTime|hour|gte", 22, "2024-05-17 21:10:00.000")).isFalse();
        assertThat(matches("UtcTime|lt|hour", 6, "2024-05-17 05:59:00.000")).isTrue();
    }

    @Test
    void valuesWithoutThePartDoNotMatch() throws Exception {
        assertThat(matches("UtcTime|hour", 0, "2024-05-17")).isFalse();
        assertThat(matches("UtcTime|year", 2024, "17/05/2024")).isFalse();
        assertThat(matches("UtcTime|year", 2024, 2024L)).isFalse();
        assertThat(matches("UtcTime|week", 1, "2024-13-45")).isFalse();
        assertThat(matches("UtcTime|minute", 5, "2024-05-17 08")).isFalse();
    }

    @Test
    void datePartValueMustBeAWholeNumber() {
        assertThatThrownBy(() -> compile("UtcTime|hour", "night"))
                .isInstanceOf(SigmaRuleException.class).hasMessage("value 'night' of 'UtcTime|hour' is not a number");
        assertThatThrownBy(() -> compile("UtcTime|hour", 1.5))
                .isInstanceOf(SigmaRuleException.class).hasMessage("value '1.5' of 'UtcTime|hour' is not a whole number");
        assertThatThrownBy(() -> compile("UtcTime|hour|day", 1))
                .isInstanceOf(SigmaRuleException.class).hasMessage("modifier 'day' cannot be combined with 'hour' in 'UtcTime|hour|day'");
        assertThatThrownBy(() -> compile("UtcTime|hour|contains", 1))
                .isInstanceOf(SigmaRuleException.class).hasMessage("modifier 'contains' cannot be combined with 'hour' in 'UtcTime|hour|contains'");
    }
}
