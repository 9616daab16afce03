package dev.sigmacep.sigma.prefilter;

import dev.sigmacep.sigma.model.Detection;
import dev.sigmacep.sigma.model.FieldItem;
import dev.sigmacep.sigma.model.Modifier;
import dev.sigmacep.sigma.model.Search;
import dev.sigmacep.sigma.model.SearchIdentifier;
import dev.sigmacep.sigma.text.RequiredLiteral;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Derives a rule's {@link NecessaryCondition} from its typed {@link Detection}, following the structure the compiler
 * gives it: a map is the AND of its items, a list of maps the OR, keywords an item without field name; the condition
 * combines identifiers with {@link NecessaryCondition#ALGEBRA}. Plain string patterns and the literal every match of
 * a regular expression holds yield atoms, keywords yield atoms on the field "" (any value of the event); every
 * other construct (encodings, numeric and date comparisons, CIDR, exists, field references, neq, expand, null...)
 * yields ALWAYS.
 */
public final class NecessaryConditions {
    /**
     * Shorter ASCII literals occur in almost every value: they would select nearly every event, so they are not
     * used, unless the pattern is the whole value (see {@link #selective}).
     */
    static final int MIN_LITERAL = 3;
    /**
     * Any part of a literal is necessary too; longer literals are cut to their end (the file name of a path, a part
     * of a hash), which is as selective in practice and bounds the size of the automata.
     */
    static final int MAX_LITERAL = 20;
    /** Exact atoms (see {@link NecessaryCondition}) are kept whole; longer ones are not used. */
    static final int MAX_EXACT_LITERAL = 64;

    /** The modifiers that keep the value a plain case-insensitive (or cased) string pattern. */
    private static final Set<Modifier> PLAIN_MODIFIERS = EnumSet.of(Modifier.CONTAINS, Modifier.STARTSWITH,
            Modifier.ENDSWITH, Modifier.ALL, Modifier.CASED, Modifier.WINDASH);
    /** A regular expression with these flags: every match contains its {@link RequiredLiteral}, whatever the case. */
    private static final Set<Modifier> REGEX_MODIFIERS = EnumSet.of(Modifier.RE, Modifier.I, Modifier.M, Modifier.S);

    private NecessaryConditions() {
    }

    public static NecessaryCondition of(Detection detection) {
        Map<String, NecessaryCondition> identifiers = new HashMap<>();
        for (SearchIdentifier identifier : detection.identifiers()) {
            identifiers.put(identifier.name(), searchIdentifier(identifier.search()));
        }
        return detection.condition().fold(identifiers, NecessaryCondition.ALGEBRA);
    }

    private static NecessaryCondition searchIdentifier(Search search) {
        if (search instanceof Search.Keywords keywords) {
            return item(keywords.item());
        }
        List<NecessaryCondition> alternatives = new ArrayList<>();
        for (List<FieldItem> map : ((Search.FieldMaps) search).alternatives()) {
            List<NecessaryCondition> items = new ArrayList<>();
            for (FieldItem item : map) {
                items.add(item(item));
            }
            alternatives.add(NecessaryCondition.allOf(items));
        }
        return alternatives.size() == 1 ? alternatives.get(0) : NecessaryCondition.anyOf(alternatives);
    }

    /** One {@code field|modifiers: values} item; the field "" is a keyword search. */
    static NecessaryCondition item(FieldItem item) {
        String field = item.spec().field();
        Set<Modifier> modifiers = item.spec().modifiers().isEmpty() ? EnumSet.noneOf(Modifier.class)
                : EnumSet.copyOf(item.spec().modifiers());
        Object value = item.value();
        if (modifiers.contains(Modifier.RE) && REGEX_MODIFIERS.containsAll(modifiers) && !field.equals(LiteralAtom.ANY_FIELD)) {
            return regexEntry(field, item.values());
        }
        if (!PLAIN_MODIFIERS.containsAll(modifiers) || value == null
                || value instanceof List<?> list && list.isEmpty()) {
            return NecessaryCondition.ALWAYS;
        }
        boolean windash = modifiers.contains(Modifier.WINDASH);
        boolean wholeValue = !field.equals(LiteralAtom.ANY_FIELD) && !modifiers.contains(Modifier.CONTAINS)
                && !modifiers.contains(Modifier.STARTSWITH) && !modifiers.contains(Modifier.ENDSWITH);
        // a plain case-insensitive contains of a named field: a value's literal, present, makes the entry true
        boolean exactContains = !field.equals(LiteralAtom.ANY_FIELD) && modifiers.equals(EnumSet.of(Modifier.CONTAINS));
        List<NecessaryCondition> perValue = new ArrayList<>();
        for (Object each : item.values()) {
            perValue.add(valueCondition(field, each, windash, wholeValue, exactContains));
        }
        return modifiers.contains(Modifier.ALL) ? NecessaryCondition.allOf(perValue) : NecessaryCondition.anyOf(perValue);
    }

    /** A regex entry: each regex needs its required literal (searched ignoring case, which covers any flags). */
    private static NecessaryCondition regexEntry(String field, List<?> values) {
        List<NecessaryCondition> perValue = new ArrayList<>();
        for (Object item : values) {
            String literal = item instanceof String regex ? cut(RequiredLiteral.of(regex)) : "";
            perValue.add(selective(literal, false) ? NecessaryCondition.atom(LiteralAtom.of(field, literal), false)
                    : NecessaryCondition.ALWAYS);
        }
        return NecessaryCondition.anyOf(perValue);
    }

    /**
     * @param wholeValue    the pattern must match the whole field value (no position modifier, not a keyword)
     * @param exactContains the entry is a plain contains (then a whole ASCII literal is an exact atom too)
     */
    private static NecessaryCondition valueCondition(String field, Object value, boolean windash, boolean wholeValue,
                                                     boolean exactContains) {
        Set<LiteralAtom> sufficient = Set.of();
        if (exactContains && value instanceof String text) {
            String whole = ValueLiterals.whole(text, false);
            if (whole != null && whole.length() <= MAX_EXACT_LITERAL && whole.chars().allMatch(c -> c < 0x80)) {
                sufficient = Set.of(LiteralAtom.of(field, whole));
            }
        }
        String literal;
        boolean exact;
        if (value instanceof String text) {
            literal = ValueLiterals.longest(text, windash);
            exact = wholeValue && ValueLiterals.whole(text, windash) != null;
        } else if ((value instanceof Number || value instanceof Boolean) && !windash) {
            literal = String.valueOf(value); // matched by its string form, without escapes or wildcards
            exact = wholeValue;
        } else {
            return NecessaryCondition.ALWAYS; // null, dates, anything unexpected
        }
        literal = cut(literal);
        if (!selective(literal, exact)) {
            return NecessaryCondition.sufficientOnly(sufficient);
        }
        return NecessaryCondition.atom(LiteralAtom.of(field, literal), exact, sufficient);
    }

    /** The literal's last {@link #MAX_LITERAL} chars (a surrogate pair is not split). */
    private static String cut(String literal) {
        if (literal.length() <= MAX_LITERAL) {
            return literal;
        }
        int start = literal.length() - MAX_LITERAL;
        return literal.substring(Character.isLowSurrogate(literal.charAt(start)) ? start + 1 : start);
    }

    /** A short literal selects well when it must be the whole value (EventID: 16), or holds a non-ASCII char. */
    private static boolean selective(String literal, boolean exact) {
        return !literal.isEmpty() && (exact || literal.length() >= MIN_LITERAL || literal.chars().anyMatch(c -> c >= 0x80));
    }
}
