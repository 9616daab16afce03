package dev.sigmacep.sigma.match;

import dev.sigmacep.field.EventPredicate;
import dev.sigmacep.field.FieldSource;
import dev.sigmacep.sigma.SigmaRuleException;
import dev.sigmacep.sigma.model.FieldItem;
import dev.sigmacep.sigma.model.FieldSpec;

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
}
