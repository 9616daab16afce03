package dev.sigmacep.correlate;

import dev.sigmacep.alert.Alert;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Suppression driven by hand: one alert as a group's window opens, one standing for the rest as it ends. */
class SuppressFunctionTest {
    private static final long SECOND = 1000;

    private static KeyedOneInputStreamOperatorTestHarness<String, Alert, Alert> harness() throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, Alert, Alert> harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new SuppressFunction(Duration.ofMinutes(1))), SuppressFunction::key,
                Types.STRING);
        harness.open();
        return harness;
    }

    private static StreamRecord<Alert> alert(String user, long millis) {
        Alert alert = new Alert("id", "r", "R", "high", List.of(), "H", Map.of("User", user), millis * 1000,
                millis * 1000, List.of(("{\"t\":" + millis + "}").getBytes(StandardCharsets.UTF_8)), "event_count", 3.0);
        return new StreamRecord<>(alert, millis);
    }

    private static List<String> out(KeyedOneInputStreamOperatorTestHarness<String, Alert, Alert> harness) {
        List<String> alerts = new ArrayList<>();
        for (Object output : harness.getOutput()) {
            if (output instanceof StreamRecord<?> record) {
                Alert alert = (Alert) record.getValue();
                alerts.add(alert.groupBy().get("User") + "@" + alert.lastEventMicros() / 1_000_000
                        + (alert.suppressed() == null ? "" : " stands for " + alert.suppressed().count() + " from "
                        + alert.suppressed().firstMicros() / 1_000_000 + " to " + alert.suppressed().lastMicros() / 1_000_000));
            }
        }
        return alerts;
    }

    @Test
    void theFirstPassesTheRestLeaveAsOneWhenTheWindowEnds() throws Exception {
        try (var harness = harness()) {
            harness.processElement(alert("a", 0));
            harness.processElement(alert("b", 5 * SECOND));
            harness.processElement(alert("a", 10 * SECOND));
            harness.processElement(alert("a", 20 * SECOND));
            assertThat(out(harness)).containsExactly("a@0", "b@5");
            harness.processWatermark(65 * SECOND);
            assertThat(out(harness)).containsExactly("a@0", "b@5", "a@20 stands for 2 from 10 to 20");
            harness.processElement(alert("a", 70 * SECOND)); // a new window
            harness.processWatermark(200 * SECOND);
            assertThat(out(harness)).containsExactly("a@0", "b@5", "a@20 stands for 2 from 10 to 20", "a@70");
            assertThat(harness.numKeyedStateEntries()).isZero();
        }
    }

    @Test
    void anAlertPastTheWindowBeforeTheWatermarkReleasesItFirst() throws Exception {
        try (var harness = harness()) {
            harness.processElement(alert("a", 0));
            harness.processElement(alert("a", 30 * SECOND));
            harness.processElement(alert("a", 61 * SECOND));
            assertThat(out(harness)).containsExactly("a@0", "a@30 stands for 1 from 30 to 30", "a@61");
        }
    }
}
