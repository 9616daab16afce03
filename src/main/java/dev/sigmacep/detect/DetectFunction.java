package dev.sigmacep.detect;

import dev.sigmacep.alert.Alert;
import dev.sigmacep.correlate.CorrelationEvent;
import dev.sigmacep.event.Event;
import dev.sigmacep.metrics.JobCounter;
import dev.sigmacep.sigma.rule.SigmaRule;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * Stateless detection: evaluates every Sigma rule routed to the event's logsource. Matches of standalone rules
 * leave as alerts; events some correlation needs leave on that correlation's side output; the rest is dropped
 * here, after counting, so the stateful stages see only what they must.
 */
public final class DetectFunction extends ProcessFunction<Event, Alert> {
    private final RuleSet rules;
    private final List<OutputTag<CorrelationEvent>> correlationOutputs;

    private transient DetectionModel model;
    private transient CorrelationRouter router;
    private transient Matches matches;
    private transient JobCounter matchedEvents;
    private transient JobCounter unmatchedEvents;
    private transient JobCounter missingGroupByField;

    /** @param correlationOutputs one side output per plan of {@code rules.model().plans()}, in that order */
    public DetectFunction(RuleSet rules, List<OutputTag<CorrelationEvent>> correlationOutputs) {
        this.rules = rules;
        this.correlationOutputs = List.copyOf(correlationOutputs);
    }

    @Override
    public void open(OpenContext openContext) {
        model = rules.model();
        router = new CorrelationRouter(model);
        matches = new Matches(model.compiled().size());
        matchedEvents = JobCounter.register(getRuntimeContext(), "detect.matched-events");
        unmatchedEvents = JobCounter.register(getRuntimeContext(), "detect.unmatched-events");
        missingGroupByField = JobCounter.register(getRuntimeContext(), "correlate.missing-group-by-field");
    }

    @Override
    public void processElement(Event event, Context ctx, Collector<Alert> out) {
        matches.count = 0;
        model.compiled().match(event, matches);
        if (matches.count == 0) {
            unmatchedEvents.inc();
            return;
        }
        matchedEvents.inc();
        for (int i = 0; i < matches.count; i++) {
            if (model.standalone(matches.rules[i])) {
                out.collect(singleEventAlert(model.rule(matches.rules[i]), event));
            }
        }
        int skipped = router.route(event, matches.rules, matches.count,
                (plan, input) -> ctx.output(correlationOutputs.get(plan), input));
        if (skipped > 0) {
            missingGroupByField.add(skipped);
        }
    }

    static Alert singleEventAlert(SigmaRule rule, Event event) {
        return new Alert(rule.id(), rule.name(), rule.title(), rule.level(), rule.tags(), event.host(),
                Map.of(), event.timeMicros(), event.timeMicros(), List.of(event.rawUtf8()));
    }

    /** Reused buffer of the matching rule indices of the current event. */
    private static final class Matches implements IntConsumer {
        final int[] rules;
        int count;

        Matches(int size) {
            rules = new int[Math.max(size, 1)];
        }

        @Override
        public void accept(int rule) {
            rules[count++] = rule;
        }
    }
}
