package dev.sigmacep.sigma.prefilter;

import dev.sigmacep.sigma.SigmaRuleException;
import dev.sigmacep.sigma.condition.ConditionParser;
import dev.sigmacep.sigma.text.RequiredLiteral;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Derives a rule's {@link NecessaryCondition} from its detection section, following the structure the compiler
 * gives it: a map is the AND of its entries, a list of maps the OR, anything else a keyword search; the condition
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
    private static final Set<String> PLAIN_MODIFIERS = Set.of("contains", "startswith", "endswith", "all", "cased", "windash");
    /** A regular expression with these flags: every match contains its {@link RequiredLiteral}, whatever the case. */
    private static final Set<String> REGEX_MODIFIERS = Set.of("re", "i", "m", "s");

    private NecessaryConditions() {
    }

    /** The condition of a detection section; ALWAYS when it cannot be read (such a rule does not compile anyway). */
    public static NecessaryCondition of(Map<String, Object> detection) {
        Map<String, NecessaryCondition> identifiers = new LinkedHashMap<>();
        for (Map.Entry<String, Object> entry : detection.entrySet()) {
            if (!entry.getKey().equals("condition")) {
                identifiers.put(entry.getKey(), searchIdentifier(entry.getValue()));
            }
        }
        try {
            return ConditionParser.parseDetectionCondition(detection.get("condition"), identifiers,
                    NecessaryCondition.ALGEBRA);
        } catch (SigmaRuleException | RuntimeException e) {
            return NecessaryCondition.ALWAYS;
        }
    }

    private static NecessaryCondition searchIdentifier(Object value) {
        if (value instanceof Map<?, ?> map) {
            return fieldMap(map);
        }
        if (value instanceof List<?> list && !list.isEmpty() && list.stream().allMatch(item -> item instanceof Map)) {
            List<NecessaryCondition> alternatives = new ArrayList<>();
            for (Object item : list) {
                alternatives.add(fieldMap((Map<?, ?>) item));
            }
            return NecessaryCondition.anyOf(alternatives);
        }
        return fieldEntry("", value); // keywords: the compiler reads them as an entry without field name
    }

    private static NecessaryCondition fieldMap(Map<?, ?> map) {
        List<NecessaryCondition> entries = new ArrayList<>();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            entries.add(entry.getKey() instanceof String spec ? fieldEntry(spec, entry.getValue()) : NecessaryCondition.ALWAYS);
        }
        return NecessaryCondition.allOf(entries);
    }

    /** One {@code field|modifiers: values} entry; the field "" is a keyword search. */
    static NecessaryCondition fieldEntry(String spec, Object value) {
        List<String> parts = List.of(spec.split("\\|", -1));
        String field = parts.get(0);
        Set<String> modifiers = new HashSet<>(parts.subList(1, parts.size()));
        if (modifiers.contains("re") && REGEX_MODIFIERS.containsAll(modifiers) && !field.equals(LiteralAtom.ANY_FIELD)) {
            return regexEntry(field, value);
        }
        if (!PLAIN_MODIFIERS.containsAll(modifiers) || value == null
                || value instanceof List<?> list && list.isEmpty()) {
            return NecessaryCondition.ALWAYS;
        }
        boolean windash = modifiers.contains("windash");
        boolean wholeValue = !field.equals(LiteralAtom.ANY_FIELD) && !modifiers.contains("contains")
                && !modifiers.contains("startswith") && !modifiers.contains("endswith");
        // a plain case-insensitive contains of a named field: a value's literal, present, makes the entry true
        boolean exactContains = !field.equals(LiteralAtom.ANY_FIELD) && modifiers.equals(Set.of("contains"));
        List<NecessaryCondition> perValue = new ArrayList<>();
        for (Object item : value instanceof List<?> list ? list : List.of(value)) {
            perValue.add(valueCondition(field, item, windash, wholeValue, exactContains));
        }
        return modifiers.contains("all") ? NecessaryCondition.allOf(perValue) : NecessaryCondition.anyOf(perValue);
    }

    /** A regex entry: each regex needs its required literal (searched ignoring case, which covers any flags). */
    private static NecessaryCondition regexEntry(String field, Object value) {
        List<NecessaryCondition> perValue = new ArrayList<>();
        for (Object item : value instanceof List<?> list ? list : List.of(value)) {
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
