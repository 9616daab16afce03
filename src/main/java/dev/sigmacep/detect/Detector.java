package dev.sigmacep.detect;

import dev.sigmacep.alert.Alert;
import dev.sigmacep.event.Event;
import dev.sigmacep.sigma.rule.SigmaRule;

import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * One event through one rule model: its single-event alerts and its correlation inputs. Not thread-safe (a reused
 * buffer of matches); each operator instance has its own.
 */
final class Detector {
    /** What became of an event, for the operator's counters. */
    enum Outcome { UNMATCHED, MATCHED }

    private final DetectionModel model;
    private final CorrelationRouter router;
    private final Matches matches;

    Detector(DetectionModel model) {
        this.model = model;
        this.router = new CorrelationRouter(model);
        this.matches = new Matches(model.compiled().size());
    }

    DetectionModel model() {
        return model;
    }

    /**
     * @param alerts       receives the alerts of the standalone rules the event matched, with the index of the rule
     * @param correlations receives the event's correlation inputs
     * @param skipped      receives how many correlation roles the event could not play (a field it lacks)
     */
    Outcome detect(Event event, AlertSink alerts, CorrelationRouter.Sink correlations, IntConsumer skipped) {
        matches.count = 0;
        model.compiled().match(event, matches);
        if (matches.count == 0) {
            return Outcome.UNMATCHED;
        }
        for (int i = 0; i < matches.count; i++) {
            int rule = matches.rules[i];
            if (model.standalone(rule)) {
                alerts.accept(rule, singleEventAlert(model.rule(rule), event));
            }
        }
        int lacking = router.route(event, matches.rules, matches.count, correlations);
        if (lacking > 0) {
            skipped.accept(lacking);
        }
        return Outcome.MATCHED;
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
