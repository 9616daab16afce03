package dev.sigmacep.sigma.yaml;

import dev.sigmacep.sigma.SigmaRuleException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Typed reads of rule attributes with errors that name the attribute. */
public final class DocumentFields {
    public static final Set<String> LEVELS = Set.of("informational", "low", "medium", "high", "critical");
    public static final Set<String> STATUSES = Set.of("stable", "test", "experimental", "deprecated", "unsupported");
    private DocumentFields() {
    }

    /** A scalar attribute as text (ids or levels written as numbers are still text), or null when absent. */
    public static String optionalString(Map<String, Object> map, String key, String where) throws SigmaRuleException {
        Object value = map.get(key);
        if (value == null) {
            return null;
        }
        if (value instanceof Map || value instanceof List) {
            throw new SigmaRuleException(where + key + " must be a single value, not "
                    + describe(value));
        }
        return value.toString();
    }

    public static String requiredString(Map<String, Object> map, String key, String where) throws SigmaRuleException {
        String value = optionalString(map, key, where);
        if (value == null || value.isBlank()) {
            throw new SigmaRuleException("missing " + where + key);
        }
        return value;
    }

    /** An optional attribute restricted to some values, compared case-insensitively and returned in lower case. */
    public static String optionalChoice(Map<String, Object> map, String key, Set<String> allowed, String where)
            throws SigmaRuleException {
        String value = optionalString(map, key, where);
        if (value == null) {
            return null;
        }
        String lower = value.toLowerCase(Locale.ROOT);
        if (!allowed.contains(lower)) {
            throw new SigmaRuleException(where + key + " '" + value + "' is not one of " + new TreeSet<>(allowed));
        }
        return lower;
    }

    /** A list of strings; a single string counts as a list of one; absent is empty. */
    public static List<String> stringList(Map<String, Object> map, String key, String where) throws SigmaRuleException {
        Object value = map.get(key);
        if (value == null) {
            return List.of();
        }
        if (value instanceof String s) {
            return List.of(s);
        }
        if (!(value instanceof List<?> list)) {
            throw new SigmaRuleException(where + key + " must be a list of strings, not "
                    + describe(value));
        }
        List<String> result = new ArrayList<>();
        for (Object item : list) {
            if (item == null || item instanceof Map || item instanceof List) {
                throw new SigmaRuleException(where + key + " must be a list of strings, but holds "
                        + describe(item));
            }
            result.add(item.toString());
        }
        return List.copyOf(result);
    }

    @SuppressWarnings("unchecked") // SigmaYaml builds maps with String keys only
    public static Map<String, Object> requiredMap(Map<String, Object> map, String key, String where)
            throws SigmaRuleException {
        Object value = map.get(key);
        if (value == null) {
            throw new SigmaRuleException("missing " + where + key);
        }
        if (!(value instanceof Map)) {
            throw new SigmaRuleException(where + key + " must be a map, not " + describe(value));
        }
        return (Map<String, Object>) value;
    }

    /** A value as error messages show it: its kind, and the value itself when it is a scalar. */
    public static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Map) {
            return "a map";
        }
        if (value instanceof List) {
            return "a list";
        }
        return "the " + value.getClass().getSimpleName().toLowerCase(Locale.ROOT) + " '" + value + "'";
    }
}
