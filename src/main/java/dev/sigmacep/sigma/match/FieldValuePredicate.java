package dev.sigmacep.sigma.match;

import dev.sigmacep.field.EventPredicate;
import dev.sigmacep.field.FieldSource;

import java.util.ArrayList;
import java.util.List;

/**
 * A field tested against the matchers of a value list: any of them (the default), or all of them ({@code all}).
 * Each matcher stands for one rule value, whose expansions it already ORs. An absent field matches nothing.
 * A long list of anchored literals ({@code startswith}/{@code endswith}/exact) is searched through an
 * {@link AnchoredLiteralIndex} for String values instead of trying each matcher. Unless the entry is a single
 * anchored literal (as cheap as a lookup), the results for recent String values are remembered
 * ({@link ValueResultMemo}). Its {@code contains} matchers first ask the rule's {@link ContainsScan} of the field,
 * which finds all the rule's literals there in one pass over a long value.
 */
final class FieldValuePredicate implements EventPredicate {
    private final String field;
    private final ValueMatcher[] matchers;
    private final boolean all;
    /** for "any of": the anchored literals, or null */
    private final AnchoredLiteralIndex index;
    /** null for a single anchored literal */
    private final ValueResultMemo memo;
    /** the matchers a String value is tested with one by one: all of them for AND, those outside the index for OR */
    private final ValueMatcher[] tested;
    /** the rule's scan of this field, where some of {@link #tested} have a probe; else null */
    private final ContainsScan scan;
    /** per matcher of {@link #tested}: its probe, or null; null when {@link #scan} is */
    private final ContainsScan.Probe[] probes;

    FieldValuePredicate(String field, ValueMatcher[] matchers, boolean all, ContainsScan scan) {
        this.field = field;
        this.matchers = matchers;
        this.all = all;
        List<ValueMatcher> rest = new ArrayList<>();
        this.index = all ? null : AnchoredLiteralIndex.of(matchers, rest);
        boolean cheap = matchers.length == 1 && matchers[0] instanceof GlobMatcher glob && glob.anchoredLiteral() != null;
        this.memo = cheap ? null : new ValueResultMemo();
        this.tested = all ? matchers : rest.toArray(ValueMatcher[]::new);
        ContainsScan.Probe[] probes = new ContainsScan.Probe[tested.length];
        boolean probed = false;
        for (int i = 0; i < tested.length; i++) {
            probes[i] = scan.probe(tested[i]);
            probed |= probes[i] != null;
        }
        this.scan = probed ? scan : null;
        this.probes = probed ? probes : null;
    }

    @Override
    public boolean test(FieldSource event) {
        Object value = event.field(field);
        if (value == null) {
            return false;
        }
        if (memo != null && value instanceof String text) {
            int remembered = memo.lookup(text);
            return remembered >= 0 ? remembered == 1 : memo.remember(text, matches(text));
        }
        return matches(value);
    }

    private boolean matches(Object value) {
        if (value instanceof String text) {
            return matchesText(text);
        }
        // stop at the first value that decides: a match for OR, a miss for AND
        for (ValueMatcher matcher : matchers) {
            if (EventValues.anyMatches(value, matcher) != all) {
                return !all;
            }
        }
        return all;
    }

    private boolean matchesText(String text) {
        if (index != null && index.anyMatches(text)) {
            return true;
        }
        long[] found = scan == null ? null : scan.foundIn(text);
        for (int i = 0; i < tested.length; i++) {
            int verdict = found == null || probes[i] == null ? -1 : probes[i].verdict(found);
            boolean matched = verdict < 0 ? tested[i].matches(text) : verdict == 1;
            if (matched != all) {
                return !all;
            }
        }
        return all;
    }
}
