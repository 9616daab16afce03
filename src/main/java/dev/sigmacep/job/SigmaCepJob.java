package dev.sigmacep.job;

import dev.sigmacep.alert.Alert;
import dev.sigmacep.correlate.CorrelationAlertFunction;
import dev.sigmacep.correlate.CorrelationEvent;
import dev.sigmacep.correlate.CorrelationEventOrder;
import dev.sigmacep.correlate.CorrelationPatterns;
import dev.sigmacep.correlate.CorrelationPlan;
import dev.sigmacep.correlate.LateEvent;
import dev.sigmacep.correlate.LateEventFunction;
import dev.sigmacep.detect.DetectFunction;
import dev.sigmacep.detect.RuleSet;
import dev.sigmacep.event.DeadLetter;
import dev.sigmacep.event.DecodeResult;
import dev.sigmacep.event.Event;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.cep.CEP;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.cep.PatternStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.OutputTag;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The job graph, the same for replay and streaming; sources and sinks are plugged in by the caller:
 * <pre>
 * source (decode + event time) ─► split ─► detect ─┬─► single-event alerts ─────────────┬─► alerts
 *                                  │                └─► per correlation: keyBy ─► CEP ──┘
 *                                  └─► dead letters                                 └─► late events
 * </pre>
 * Sources decode records themselves so that event time is tracked per Kafka partition or file.
 */
public final class SigmaCepJob {
    private static final TypeInformation<CorrelationEvent> CORRELATION_EVENT = TypeInformation.of(CorrelationEvent.class);

    private final JobSettings settings;
    private final RuleSet rules;

    public SigmaCepJob(JobSettings settings, RuleSet rules) {
        this.settings = settings;
        this.rules = rules;
    }

    /** Settings every run of the graph needs. */
    public static void configure(StreamExecutionEnvironment env) {
        Configuration config = new Configuration();
        // no operator keeps or mutates its input, so chained operators may pass objects without copying them
        config.set(PipelineOptions.OBJECT_REUSE, true);
        // every type on the wire and in state has a serializer of its own: a Kryo fallback fails the build of the
        // graph instead of slowing the job down and tying savepoints to class layouts
        config.set(PipelineOptions.GENERIC_TYPES, false);
        env.configure(config);
    }

    public record Outputs(DataStream<Alert> alerts, DataStream<DeadLetter> deadLetters, DataStream<LateEvent> late) {
    }

    /**
     * Event time of decoded records, for a source to apply per Kafka partition or file: bounded out-of-orderness
     * with idleness. Dead letters keep the source's timestamp and do not move watermarks.
     */
    public static WatermarkStrategy<DecodeResult> watermarks(JobSettings.EventTime eventTime) {
        Duration maxOutOfOrderness = eventTime.maxOutOfOrderness();
        return WatermarkStrategy
                .<DecodeResult>forGenerator(context -> new EventTimeWatermarks(maxOutOfOrderness))
                .withTimestampAssigner((record, sourceTimestamp) ->
                        record.event() != null ? record.event().timeMillis() : sourceTimestamp)
                .withIdleness(eventTime.idleTimeout());
    }

    /** @param decoded records decoded by the source, with event-time timestamps and watermarks */
    public Outputs wire(DataStream<DecodeResult> decoded) {
        SingleOutputStreamOperator<Event> events = decoded
                .process(new SplitDecoded()).uid("split-decoded").name("count + dead letters");

        List<CorrelationPlan> plans = rules.model().plans();
        List<OutputTag<CorrelationEvent>> correlationInputs = new ArrayList<>();
        for (CorrelationPlan plan : plans) {
            correlationInputs.add(new OutputTag<>("correlation-" + plan.label(), CORRELATION_EVENT));
        }
        SingleOutputStreamOperator<Alert> detected = events
                .process(new DetectFunction(rules, correlationInputs)).uid("detect").name("detect (Sigma rules)");

        DataStream<Alert> alerts = detected;
        DataStream<LateEvent> late = null;
        for (int i = 0; i < plans.size(); i++) {
            CorrelationPlan plan = plans.get(i);
            String label = plan.displayName();
            OutputTag<CorrelationEvent> lateTag = new OutputTag<>("late-" + plan.label(), CORRELATION_EVENT);
            PatternStream<CorrelationEvent> matches = CEP
                    .pattern(detected.getSideOutput(correlationInputs.get(i)).keyBy(CorrelationEvent::key),
                            CorrelationPatterns.compile(plan), new CorrelationEventOrder())
                    .inEventTime()
                    .sideOutputLateData(lateTag);
            SingleOutputStreamOperator<Alert> correlated = matches
                    .process(new CorrelationAlertFunction(plan)).uid("correlate-" + plan.label()).name("correlate " + label);
            DataStream<LateEvent> lateHere = correlated.getSideOutput(lateTag)
                    .map(new LateEventFunction(plan, settings.eventTime().maxOutOfOrderness()))
                    .uid("late-" + plan.label()).name("late events of " + label);
            alerts = alerts.union(correlated);
            late = late == null ? lateHere : late.union(lateHere);
        }
        if (late == null) {
            late = events.getSideOutput(NO_LATE_EVENTS);
        }
        return new Outputs(alerts, events.getSideOutput(SplitDecoded.DEAD_LETTERS), late);
    }

    /** Never written to: the late stream of a job without correlations. */
    private static final OutputTag<LateEvent> NO_LATE_EVENTS =
            new OutputTag<>("no-late-events", TypeInformation.of(LateEvent.class));
}
