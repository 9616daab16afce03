package dev.sigmacep.job;

import dev.sigmacep.event.DeadLetter;
import dev.sigmacep.event.DecodeResult;
import dev.sigmacep.event.Event;
import dev.sigmacep.metrics.EventTimeLag;
import dev.sigmacep.metrics.JobCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import java.util.HashMap;
import java.util.Map;

/**
 * Counts decoded records by format and sends the ones that could not be decoded to the dead-letter output. Chained to
 * the source, so it also tells how far each source subtask's events are behind the wall clock.
 */
public final class SplitDecoded extends ProcessFunction<DecodeResult, Event> {
    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));

    private transient JobCounter deadLetters;
    private transient JobCounter futureDated;
    private transient JobCounter internalErrors;
    private transient Map<String, JobCounter> eventsByFormat;
    private transient EventTimeLag eventTimeLag;

    @Override
    public void open(OpenContext openContext) {
        deadLetters = JobCounter.register(getRuntimeContext(), "records.dead-lettered");
        // counted apart as well: many of them point at a host with a wrong clock or at forged records, not bad input
        futureDated = JobCounter.register(getRuntimeContext(), "records.future-dated");
        // bugs of the job, not bad input: each one is logged with its stack trace (rate-limited)
        internalErrors = JobCounter.register(getRuntimeContext(), "records.internal-errors");
        eventsByFormat = new HashMap<>();
        eventTimeLag = new EventTimeLag(System::currentTimeMillis);
    }

    @Override
    public void processElement(DecodeResult record, Context ctx, Collector<Event> out) {
        Event event = record.event();
        if (event != null) {
            eventsByFormat.computeIfAbsent(event.format(),
                    format -> JobCounter.register(getRuntimeContext(), "events." + format)).inc();
            if (eventTimeLag.seen(event.timeMillis())) { // no value before the first event
                getRuntimeContext().getMetricGroup().gauge("event-time-lag-ms", eventTimeLag);
            }
            out.collect(event);
        } else {
            deadLetters.inc();
            if (FutureEvents.isFutureDated(record.deadLetter())) {
                futureDated.inc();
            }
            if (record.deadLetter().internal()) {
                internalErrors.inc();
            }
            ctx.output(DEAD_LETTERS, record.deadLetter());
        }
    }
}
