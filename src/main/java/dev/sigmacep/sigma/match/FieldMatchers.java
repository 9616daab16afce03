package dev.sigmacep.sigma.match;

import dev.sigmacep.field.EventPredicate;
import dev.sigmacep.field.Predicates;
import dev.sigmacep.sigma.SigmaRuleException;
import dev.sigmacep.sigma.model.FieldItem;
import dev.sigmacep.sigma.model.FieldSpec;
import dev.sigmacep.sigma.model.Modifier;

import java.util.List;

/**
 * Compiles one detection entry (a field with its modifier chain and its value or values) into a predicate.
 *
 * <p>Semantics: matching is case-insensitive unless {@code cased} ({@code re} is case-sensitive unless {@code i});
 * a list of values is OR, AND with {@code all}; an event value that is a List matches when any element does;
 * numbers and booleans compare by their string form ({@code 4688} matches 4688, 4688L and "4688"); an absent
 * field matches no value. The value {@code null} matches an absent or null field. {@code neq} negates the whole
 * entry, so it also holds for an absent field. A keyword search (empty field name) looks for each value anywhere
 * in any field value, as if with {@code contains}, unless a position modifier says otherwise.
 */
public final class FieldMatchers {
    private FieldMatchers() {
    }

    /**
     * @param item a field with its modifier chain (e.g. {@code Image|endswith}; an empty field name means a keyword
     *             search over all field values) and its value as written
     * @param scans the scans of the rule's fields, shared by the entries of one detection
     * @throws SigmaRuleException with a reason naming the construct when the entry cannot be compiled
     */
    public static EventPredicate compile(FieldItem item, MatchContext ctx, ContainsScans scans)
            throws SigmaRuleException {
        FieldSpec spec = item.spec();
        Object value = item.value();
        if (spec.type() == Modifier.EXISTS) {
            return compileExists(spec, value);
        }
        if (value == null) {
            return compileNull(spec);
        }
        List<Object> values = RuleValues.of(spec, value);
        EventPredicate predicate = spec.type() == Modifier.FIELDREF
                ? FieldReferencePredicate.compile(spec, values)
                : compileValues(spec, values, ctx, scans);
        return spec.has(Modifier.NEQ) ? Predicates.not(predicate) : predicate;
    }

    private static EventPredicate compileValues(FieldSpec spec, List<Object> values, MatchContext ctx,
                                                ContainsScans scans)
            throws SigmaRuleException {
        ValueMatcher[] matchers = new ValueMatcher[values.size()];
        for (int i = 0; i < matchers.length; i++) {
            matchers[i] = ValueCompiler.compile(spec, values.get(i), ctx);
        }
        boolean all = spec.has(Modifier.ALL);
        return spec.isKeyword()
                ? new KeywordPredicate(matchers, all)
                : new FieldValuePredicate(spec.field(), matchers, all, scans.of(spec.field()));
    }

    private static EventPredicate compileExists(FieldSpec spec, Object value) throws SigmaRuleException {
        if (!(value instanceof Boolean expected)) {
            throw new SigmaRuleException("modifier 'exists' in '" + spec.written() + "' needs the value true or false");
        }
        return new FieldExistsPredicate(spec.field(), expected);
    }

    /** {@code Field: null} means absent or null; only {@code neq} (present) may go with it. */
    private static EventPredicate compileNull(FieldSpec spec) throws SigmaRuleException {
        if (spec.isKeyword()) {
            throw new SigmaRuleException("a keyword search cannot look for null, in '" + spec.written() + "'");
        }
        for (Modifier modifier : spec.modifiers()) {
            if (modifier != Modifier.NEQ) {
                throw new SigmaRuleException("modifier '" + modifier + "' cannot apply to the value null, in '"
                        + spec.written() + "'");
            }
        }
        EventPredicate absent = new FieldAbsentPredicate(spec.field());
        return spec.has(Modifier.NEQ) ? Predicates.not(absent) : absent;
    }
}
