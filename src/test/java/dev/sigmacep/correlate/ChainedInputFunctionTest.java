package dev.sigmacep.correlate;

import dev.sigmacep.alert.Alert;
import org.apache.flink.streaming.api.operators.StreamFlatMap;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static dev.sigmacep.testing.Accumulators.counted;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An inner correlation's alerts into the correlation built on it, driven by hand: an alert becomes an input in the
 * inner correlation's role, keyed by its group-by values, at its last event's time, with its evidence as records; an
 * alert without a value the outer correlation groups by is counted and goes no further.
 */
class ChainedInputFunctionTest {
    private static Alert inner(Map<String, String> groupBy, long lastMicros, String... records) {
        return new Alert("inner-id", "inner", "Inner", "high", List.of(), "H1", groupBy, 1_000, lastMicros,
                Arrays.stream(records).map(r -> r.getBytes(StandardCharsets.UTF_8)).toList(),
                "temporal", null);
    }

    @Test
    void anAlertBecomesAnInputInItsRoleAndOneWithoutTheGroupByValueIsCounted() throws Exception {
        CorrelationPlan outer = PlannedFromYaml.plan("""
                    type: temporal_ordered
                    rules: [a, b]
                    group-by: [Computer]
                    timespan: 1m
                """);
        Alert keyed = inner(Map.of("Computer", "H1"), 5_000, "{\"first\":1}", "{\"second\":2}");
        Alert unkeyed = inner(Map.of("User", "alice"), 6_000, "{\"third\":3}");
        Alert empty = inner(Map.of("Computer", ""), 7_000, "{\"fourth\":4}");
        try (var harness = new OneInputStreamOperatorTestHarness<>(
                new StreamFlatMap<>(new ChainedInputFunction(outer, 1)))) {
            harness.open();
            harness.processElement(keyed, 5);
            harness.processElement(unkeyed, 6);
            harness.processElement(empty, 7);

            List<CorrelationEvent> inputs = harness.extractOutputValues();
            assertThat(inputs).hasSize(1);
            CorrelationEvent input = inputs.get(0);
            assertThat(input.groupValues()).containsExactly("H1");
            assertThat(input.roles()).isEqualTo(1 << 1);
            assertThat(input.host()).isEqualTo("H1");
            assertThat(input.timeMicros()).isEqualTo(5_000);
            assertThat(input.records()).extracting(r -> new String(r, StandardCharsets.UTF_8))
                    .containsExactly("{\"first\":1}", "{\"second\":2}");
            assertThat(counted(harness, "correlate.missing-group-by-field")).isEqualTo(2L);
        }
    }
}
