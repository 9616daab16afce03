package dev.sigmacep.correlate;

import org.apache.flink.streaming.api.operators.StreamMap;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static dev.sigmacep.testing.Accumulators.counted;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The late events of a correlation, driven by hand: each input the correlation dropped as late becomes a late event
 * with the correlation's id, a reason naming its time, the allowed disorder and the correlation, and its record;
 * each is counted.
 */
class LateEventFunctionTest {
    @Test
    void eachLateInputGetsItsReasonAndIsCounted() throws Exception {
        CorrelationPlan plan = PlannedFromYaml.plan("""
                    type: temporal_ordered
                    rules: [a, b]
                    group-by: [Computer]
                    timespan: 1m
                """);
        long micros = Instant.parse("2026-12-05T10:15:30.250Z").toEpochMilli() * 1000;
        String record = "{\"Computer\":\"H1\",\"Image\":\"a.exe\"}";
        CorrelationEvent input = new CorrelationEvent(List.of("H1"), 1, "H1", micros, List.of(),
                List.of(record.getBytes(StandardCharsets.UTF_8)));
        try (var harness = new OneInputStreamOperatorTestHarness<>(
                new StreamMap<>(new LateEventFunction(plan, Duration.ofMinutes(2))))) {
            harness.open();
            harness.processElement(input, micros / 1000);
            harness.processElement(input, micros / 1000);

            assertThat(harness.extractOutputValues()).hasSize(2).allSatisfy(late -> {
                assertThat(late.correlationId()).isEqualTo("corr-id");
                assertThat(late.reason()).isEqualTo("late: event time 2026-12-05T10:15:30.250Z is behind the watermark"
                        + " (more than 120s out of order); not correlated by corr");
                assertThat(late.eventMicros()).isEqualTo(micros);
                assertThat(late.raw()).isEqualTo(record);
            });
            assertThat(counted(harness, "correlate.late-events")).isEqualTo(2L);
        }
    }
}
