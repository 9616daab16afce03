package dev.sigmacep.detect;

import dev.sigmacep.alert.Alert;
import dev.sigmacep.event.DeadLetter;
import dev.sigmacep.event.Event;
import dev.sigmacep.log.RateLimitedLog;
import dev.sigmacep.metrics.JobCounter;
import dev.sigmacep.metrics.LabeledCounters;
import dev.sigmacep.sigma.route.CompiledRulePack;
import dev.sigmacep.sigma.rule.RuleLabels;
import dev.sigmacep.sigma.rule.SigmaRule;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.metrics.Counter;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * One event through one rule model: its single-event alerts and its correlation inputs. Not thread-safe (a reused
 * buffer of matches); each operator instance has its own.
 */
final class Detector {
    private static final RateLimitedLog BUGS = new RateLimitedLog(LoggerFactory.getLogger(Detector.class), 10);

    /**
     * The detect operator's counters of what became of its events: registered once per operator instance, while the
     * detector is built anew with each rule update.
     */
    static final class Counters {
        private final JobCounter matchedEvents;
        private final JobCounter unmatchedEvents;
        private final JobCounter missingGroupByField;
        /**
         * Bugs met in rule evaluation: a rule that threw on an event, or an event no rule could evaluate (routing or
         * the prefilter threw); each logged with its stack trace (rate-limited)
         */
        private final JobCounter internalErrors;
        /** labelled by rule: as many as the rules that matched since the operator opened (live updates included) */
        private final LabeledCounters ruleMatches;

        Counters(RuntimeContext context) {
            matchedEvents = JobCounter.register(context, "detect.matched-events");
            unmatchedEvents = JobCounter.register(context, "detect.unmatched-events");
            missingGroupByField = JobCounter.register(context, "correlate.missing-group-by-field");
            internalErrors = JobCounter.register(context, "detect.internal-errors");
            ruleMatches = new LabeledCounters(context.getMetricGroup(), "rule", "matches");
        }
    }

    private final DetectionModel model;
    private final CorrelationRouter router;
    private final Matches matches;
    private final Failures failures = new Failures();
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
     * @param deadLetters  receives the event, with the rules that threw on it, if any did (a bug: the other rules
     *                     still evaluate it, and the job goes on)
     * @param counters     count matched and unmatched events, rule errors, and the correlation roles an event could
     *                     not play (a field it lacks)
     */
    void detect(Event event, AlertSink alerts, CorrelationRouter.Sink correlations, Consumer<DeadLetter> deadLetters,
                Counters counters) {
        matches.count = 0;
        failures.count = 0;
        try {
            model.compiled().match(event, matches, failures);
        } catch (RuntimeException | StackOverflowError error) { // before any rule ran: none evaluates this event
            matches.count = 0;
            failures.failedBeforeRules(error);
        }
        if (failures.count > 0) {
            counters.internalErrors.add(failures.count);
            deadLetters.accept(new DeadLetter(failures.reason(), event.raw()));
        }
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

    /** The rules that threw on the current event: logged as they fail, reported with the event as a dead letter. */
    private final class Failures implements CompiledRulePack.RuleFailures {
        int count;
        private String first;

        @Override
        public void failed(int rule, RuntimeException error) {
            SigmaRule sigma = model.rule(rule);
            String label = RuleLabels.display(sigma.id(), sigma.name(), sigma.title()) + " (" + sigma.path() + ")";
            BUGS.error("rule " + label + " threw while evaluating an event; it counts as not matching that event", error);
            if (count++ == 0) {
                first = "rule " + label + " failed on this record: " + error;
            }
        }

        void failedBeforeRules(Throwable error) {
            BUGS.error("rule evaluation threw before any rule ran on an event; no rule evaluated it", error);
            count++;
            first = "rule evaluation failed on this record, no rule evaluated it: " + error;
        }

        String reason() {
            return DeadLetter.INTERNAL_ERROR + first + (count > 1 ? " (and " + (count - 1) + " more rules)" : "")
                    + "; a bug of the rule engine: its stack trace is in the task manager's log";
        }
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
