package dev.sigmacep.detect;

import dev.sigmacep.alert.Alert;
import dev.sigmacep.event.DeadLetter;
import dev.sigmacep.event.Event;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Stateless detection: evaluates every Sigma rule routed to the event's logsource. Matches of standalone rules
 * leave as alerts; events some correlation needs leave on that correlation's side output; the rest is dropped
 * here, after counting, so the stateful stages see only what they must. An event on which a rule threw (a bug)
 * also leaves on {@link #RULE_ERRORS}, with the rule and the error.
 */
public final class DetectFunction extends ProcessFunction<Event, Alert> {
    /** Events on which a rule threw, as dead letters whose reason starts with {@link DeadLetter#INTERNAL_ERROR}. */
    public static final OutputTag<DeadLetter> RULE_ERRORS =
            new OutputTag<>("rule-errors", TypeInformation.of(DeadLetter.class));

    private final RuleSet rules;
    private final CorrelationOutputs correlationOutputs;

    private transient Detector detector;
    private transient Detector.Counters counters;

    /** @param correlationOutputs where the inputs of the plans of {@code rules.model().plans()} go */
    public DetectFunction(RuleSet rules, CorrelationOutputs correlationOutputs) {
        this.rules = rules;
        this.correlationOutputs = correlationOutputs;
    }

    @Override
    public void open(OpenContext openContext) {
        detector = new Detector(rules.model());
        counters = new Detector.Counters(getRuntimeContext());
    }

    @Override
    public void processElement(Event event, Context ctx, Collector<Alert> out) {
        detector.detect(event, (rule, alert) -> out.collect(alert),
                (plan, input) -> correlationOutputs.emit(plan, input, ctx::output),
                deadLetter -> ctx.output(RULE_ERRORS, deadLetter), counters);
        correlationOutputs.endEvent(event, ctx::output);
    }
}
