package dev.sigmacep.job;

import dev.sigmacep.event.DeadLetter;
import dev.sigmacep.event.DecodeResult;
import dev.sigmacep.event.Event;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.sigmacep.testing.Accumulators.counted;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The split after decoding, driven by hand: events go on, counted by format; every record that did not decode
 * leaves on the dead-letter output, counted, and those that met a bug (an internal error) or carry a future time
 * are counted apart as well.
 */
class SplitDecodedTest {

    private static DecodeResult event(String format, long millis) {
        return DecodeResult.ok(new Event(Map.of("EventID", 1), "H1", millis * 1000, format, "{}"));
    }

    @Test
    void eventsGoOnAndEveryOtherRecordIsADeadLetterCountedByKind() throws Exception {
        try (var harness = new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(new SplitDecoded()))) {
            harness.open();
            harness.processElement(event("sysmon-flat", 1), 1);
            harness.processElement(event("winlogbeat", 2), 2);
            harness.processElement(event("sysmon-flat", 3), 3);
            harness.processElement(DecodeResult.dead("not JSON: unexpected character", "garbage"), 4);
            harness.processElement(DecodeResult.dead(FutureEvents.REASON + ": 2099-01-01T00:00:00Z", "{\"future\":1}"), 5);
            harness.processElement(DecodeResult.dead(DeadLetter.INTERNAL_ERROR + "java.lang.IllegalStateException: boom"
                    + " (a bug of the decoder; see the log)", "{\"bug\":1}"), 6);

            assertThat(harness.extractOutputValues()).extracting(Event::format)
                    .containsExactly("sysmon-flat", "winlogbeat", "sysmon-flat");
            assertThat(harness.getSideOutput(SplitDecoded.DEAD_LETTERS)).extracting(r -> r.getValue().raw())
                    .containsExactly("garbage", "{\"future\":1}", "{\"bug\":1}");
            assertThat(List.of(counted(harness, "events.sysmon-flat"), counted(harness, "events.winlogbeat"),
                    counted(harness, "records.dead-lettered"), counted(harness, "records.future-dated"),
                    counted(harness, "records.internal-errors"))).containsExactly(2L, 1L, 3L, 1L, 1L);
        }
    }
}
