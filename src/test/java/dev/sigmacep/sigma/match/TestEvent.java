package dev.sigmacep.sigma.match;

import dev.sigmacep.sigma.EventPredicate;
import dev.sigmacep.sigma.FieldSource;
import dev.sigmacep.sigma.SigmaRuleException;

import java.util.LinkedHashMap;
import java.util.Map;

/** A Map-backed event for tests, plus shorthands to compile and evaluate a detection entry. */
final class TestEvent implements FieldSource {
    private final Map<String, Object> fields = new LinkedHashMap<>();

    static TestEvent of(Object... namesAndValues) {
        TestEvent event = new TestEvent();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            event.fields.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return event;
    }

    @Override
    public Object field(String name) {
        return fields.get(name);
    }

    @Override
    public Iterable<?> values() {
        return fields.values();
    }

    @Override
    public void forEachField(java.util.function.BiConsumer<String, Object> action) {
        fields.forEach(action);
    }

    static EventPredicate compile(String fieldSpec, Object value) throws SigmaRuleException {
        return FieldMatchers.compile(fieldSpec, value, MatchContext.empty());
    }

    /** Whether {@code fieldSpec: ruleValue} matches an event whose field (the spec's field name) has eventValue. */
    static boolean matches(String fieldSpec, Object ruleValue, Object eventValue) throws SigmaRuleException {
        String field = fieldSpec.split("\\|", -1)[0];
        return compile(fieldSpec, ruleValue).test(of(field, eventValue));
    }
}
