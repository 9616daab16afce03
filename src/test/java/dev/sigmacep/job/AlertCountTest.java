package dev.sigmacep.job;

import dev.sigmacep.alert.Alert;
import org.apache.flink.streaming.api.operators.StreamMap;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static dev.sigmacep.testing.Accumulators.counted;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The alert count, driven by hand: alerts pass unchanged and in order, and each is counted under its rule's label
 * (the name, else the id, else the title), which the replay summary reads back by accumulator.
 */
class AlertCountTest {
    private static Alert alert(String id, String name, String title, long micros) {
        return new Alert(id, name, title, "high", List.of(), "H1", Map.of(), micros, micros,
                List.of(("{\"t\":" + micros + "}").getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void alertsPassUnchangedAndAreCountedByRuleLabel() throws Exception {
        Alert named = alert("id-1", "wer_noargs_start", "WER started without arguments", 1);
        Alert namedAgain = alert("id-1", "wer_noargs_start", "WER started without arguments", 2);
        Alert idOnly = alert("id-2", null, "A rule without a name", 3);
        Alert titleOnly = alert(null, null, "Neither id nor name", 4);
        try (var harness = new OneInputStreamOperatorTestHarness<>(new StreamMap<>(new AlertCount()))) {
            harness.open();
            for (Alert alert : List.of(named, idOnly, namedAgain, titleOnly)) {
                harness.processElement(alert, alert.firstEventMicros() / 1000);
            }

            assertThat(harness.extractOutputValues()).containsExactly(named, idOnly, namedAgain, titleOnly);
            assertThat(harness.getEnvironment().getAccumulatorRegistry().getUserMap().keySet())
                    .containsExactlyInAnyOrder("alerts.wer_noargs_start", "alerts.id-2", "alerts.Neither id nor name");
            assertThat(counted(harness, "alerts.wer_noargs_start")).isEqualTo(2L);
            assertThat(counted(harness, "alerts.id-2")).isEqualTo(1L);
            assertThat(counted(harness, "alerts.Neither id nor name")).isEqualTo(1L);
        }
    }
}
