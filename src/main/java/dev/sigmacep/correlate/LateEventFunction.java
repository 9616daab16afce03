package dev.sigmacep.correlate;

import dev.sigmacep.alert.AlertJson;
import dev.sigmacep.metrics.JobCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;

import java.time.Duration;

/** Gives each event a correlation dropped as late its reason, and counts it. */
public final class LateEventFunction extends RichMapFunction<CorrelationEvent, LateEvent> {
    private final String correlationId;
    private final String correlationName;
    private final Duration maxOutOfOrderness;
    private transient JobCounter late;

    public LateEventFunction(CorrelationPlan plan, Duration maxOutOfOrderness) {
        this.correlationId = plan.rule().id();
        this.correlationName = plan.displayName();
        this.maxOutOfOrderness = maxOutOfOrderness;
    }

    @Override
    public void open(OpenContext openContext) {
        late = JobCounter.register(getRuntimeContext(), "correlate.late-events");
    }

    @Override
    public LateEvent map(CorrelationEvent input) {
        late.inc();
        String reason = "late: event time " + AlertJson.formatTime(input.timeMicros())
                + " is behind the watermark (more than " + maxOutOfOrderness.toSeconds()
                + "s out of order); not correlated by " + correlationName;
        return new LateEvent(correlationId, reason, input.timeMicros(), input.raw());
    }
}
