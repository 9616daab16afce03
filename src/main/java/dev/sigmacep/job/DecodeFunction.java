package dev.sigmacep.job;

import dev.sigmacep.detect.JobCounter;
import dev.sigmacep.event.DeadLetter;
import dev.sigmacep.event.DecodeResult;
import dev.sigmacep.event.Event;
import dev.sigmacep.event.EventDecoder;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import java.util.HashMap;
import java.util.Map;

/** Decodes raw records into canonical events; anything that cannot be decoded leaves as a dead letter. */
public final class DecodeFunction extends ProcessFunction<String, Event> {
    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") {
    };

    private final int maxRecordChars;

    private transient EventDecoder decoder;
    private transient JobCounter deadLetters;
    private transient Map<String, JobCounter> eventsByFormat;

    public DecodeFunction(int maxRecordChars) {
        this.maxRecordChars = maxRecordChars;
    }

    @Override
    public void open(OpenContext openContext) {
        decoder = new EventDecoder(maxRecordChars);
        deadLetters = JobCounter.register(getRuntimeContext(), "records.dead-lettered");
        eventsByFormat = new HashMap<>();
    }

    @Override
    public void processElement(String record, Context ctx, Collector<Event> out) {
        DecodeResult result = decoder.decode(record);
        if (result.event() != null) {
            eventsByFormat.computeIfAbsent(result.event().format(),
                    format -> JobCounter.register(getRuntimeContext(), "events." + format)).inc();
            out.collect(result.event());
        } else {
            deadLetters.inc();
            ctx.output(DEAD_LETTERS, result.deadLetter());
        }
    }
}
