package dev.sigmacep.detect;

import dev.sigmacep.alert.Alert;
import dev.sigmacep.event.Event;
import dev.sigmacep.metrics.JobCounter;
import dev.sigmacep.metrics.LabeledCounters;
import dev.sigmacep.sigma.rule.RuleLabels;
import dev.sigmacep.sigma.rule.SigmaRule;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.metrics.Counter;

import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * One event through one rule model: its single-event alerts and its correlation inputs. Not thread-safe (a reused
 * buffer of matches); each operator instance has its own.
 */
final class Detector {
    /**
     * The detect operator's counters of what became of its events: registered once per operator instance, while the
     * detector is built anew with each rule update.
     */
    static final class Counters {
        private final JobCounter matchedEvents;
        private final JobCounter unmatchedEvents;
        private final JobCounter missingGroupByField;
        /** labelled by rule: as many as the rules that matched since the operator opened (live updates included) */
        private final LabeledCounters ruleMatches;

        Counters(RuntimeContext context) {
            matchedEvents = JobCounter.register(context, "detect.matched-events");
            unmatchedEvents = JobCounter.register(context, "detect.unmatched-events");
            missingGroupByField = JobCounter.register(context, "correlate.missing-group-by-field");
            ruleMatches = new LabeledCounters(context.getMetricGroup(), "rule", "matches");
        }
    }

    private final DetectionModel model;
    private final CorrelationRouter router;
    private final Matches matches;
    /** each rule's counter of matches, by index in the model, looked up on its first match */
    private final Counter[] ruleMatches;

    Detector(DetectionModel model) {
        this.model = model;
        this.router = new CorrelationRouter(model);
        this.matches = new Matches(model.compiled().size());
        this.ruleMatches = new Counter[model.compiled().size()];
    }

    DetectionModel model() {
        return model;
    }

    /**
     * @param alerts       receives the alerts of the standalone rules the event matched, with the index of the rule
     * @param correlations receives the event's correlation inputs
     * @param counters     count matched and unmatched events, and the correlation roles an event could not play
     *                     (a field it lacks)
     */
    void detect(Event event, AlertSink alerts, CorrelationRouter.Sink correlations, Counters counters) {
        matches.count = 0;
        model.compiled().match(event, matches);
        if (matches.count == 0) {
            counters.unmatchedEvents.inc();
            return;
        }
        counters.matchedEvents.inc();
        for (int i = 0; i < matches.count; i++) {
            int rule = matches.rules[i];
            ruleMatches(rule, counters).inc();
            if (model.standalone(rule)) {
                alerts.accept(rule, singleEventAlert(model.rule(rule), event));
            }
        }
        int lacking = router.route(event, matches.rules, matches.count, correlations);
        if (lacking > 0) {
            counters.missingGroupByField.add(lacking);
        }
    }

    private Counter ruleMatches(int rule, Counters counters) {
        Counter counter = ruleMatches[rule];
        if (counter == null) {
            SigmaRule sigma = model.rule(rule);
            counter = counters.ruleMatches.of(RuleLabels.display(sigma.id(), sigma.name(), sigma.title()));
            ruleMatches[rule] = counter;
        }
        return counter;
    }

    /** Receives a single-event alert and the index of its rule in the model. */
    @FunctionalInterface
    interface AlertSink {
        void accept(int rule, Alert alert);
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
