package dev.sigmacep.sigma.match;

import dev.sigmacep.field.EventPredicate;
import dev.sigmacep.field.FieldSource;
import dev.sigmacep.sigma.SigmaRuleException;
import dev.sigmacep.sigma.model.FieldItem;
import dev.sigmacep.sigma.model.FieldSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Shorthands for matcher tests: a map-backed event ({@link dev.sigmacep.testing.TestEvent}), and compiling one entry. */
final class TestEvent {
    private TestEvent() {
    }

    static FieldSource of(Object... namesAndValues) {
        return dev.sigmacep.testing.TestEvent.of(namesAndValues);
    }

    static EventPredicate compile(String fieldSpec, Object value) throws SigmaRuleException {
        return compile(fieldSpec, value, MatchContext.empty());
    }

    /** One detection entry as written, {@code fieldSpec: value}, compiled. */
    static EventPredicate compile(String fieldSpec, Object value, MatchContext context) throws SigmaRuleException {
        return FieldMatchers.compile(new FieldItem(FieldSpec.parse(fieldSpec), value), context, new ContainsScans());
    }

    /** Whether {@code fieldSpec: ruleValue} matches an event whose field (the spec's field name) has eventValue. */
    static boolean matches(String fieldSpec, Object ruleValue, Object eventValue) throws SigmaRuleException {
        String field = fieldSpec.split("\\|", -1)[0];
        return compile(fieldSpec, ruleValue).test(of(field, eventValue));
    }

    /**
     * Four threads share the predicate, as subtasks share a compiled pack, each testing {@code lookups} values picked
     * at random (its own seed) from {@code values} in {@code field}: the total of answers that differ from the value's
     * {@code truth}.
     */
    static int mistakesOfThreadsSharing(EventPredicate predicate, String field, List<String> values,
                                        List<Boolean> truth, int lookups) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> runs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                long seed = t;
                runs.add(threads.submit(() -> {
                    Random pick = new Random(seed);
                    int wrong = 0;
                    for (int i = 0; i < lookups; i++) {
                        int v = pick.nextInt(values.size());
                        if (predicate.test(of(field, values.get(v))) != truth.get(v)) {
                            wrong++;
                        }
                    }
                    return wrong;
                }));
            }
            int wrong = 0;
            for (Future<Integer> run : runs) {
                wrong += run.get();
            }
            return wrong;
        } finally {
            threads.shutdownNow();
        }
    }
}
