package dev.sigmacep.sigma;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Typed reads of rule attributes with errors that name the attribute. */
final class DocumentFields {
    private DocumentFields() {
    }

    /** A scalar attribute as text (ids or levels written as numbers are still text), or null when absent. */
    static String optionalString(Map<String, Object> map, String key, String where) throws SigmaRuleException {
        Object value = map.get(key);
        if (value == null) {
            return null;
        }
        if (value instanceof Map || value instanceof List) {
            throw new SigmaRuleException(where + key + " must be a single value, not "
                    + DetectionCompiler.describe(value));
        }
        return value.toString();
    }

    static String requiredString(Map<String, Object> map, String key, String where) throws SigmaRuleException {
        String value = optionalString(map, key, where);
        if (value == null || value.isBlank()) {
            throw new SigmaRuleException("missing " + where + key);
        }
        return value;
    }

    /** A list of strings; a single string counts as a list of one; absent is empty. */
    static List<String> stringList(Map<String, Object> map, String key, String where) throws SigmaRuleException {
        Object value = map.get(key);
        if (value == null) {
            return List.of();
        }
        if (value instanceof String s) {
            return List.of(s);
        }
        if (!(value instanceof List<?> list)) {
            throw new SigmaRuleException(where + key + " must be a list of strings, not "
                    + DetectionCompiler.describe(value));
        }
        List<String> result = new ArrayList<>();
        for (Object item : list) {
            if (item == null || item instanceof Map || item instanceof List) {
                throw new SigmaRuleException(where + key + " must be a list of strings, but holds "
                        + DetectionCompiler.describe(item));
            }
            result.add(item.toString());
        }
        return List.copyOf(result);
    }

    @SuppressWarnings("unchecked") // SigmaYaml builds maps with String keys only
    static Map<String, Object> requiredMap(Map<String, Object> map, String key, String where)
            throws SigmaRuleException {
        Object value = map.get(key);
        if (value == null) {
            throw new SigmaRuleException("missing " + where + key);
        }
        if (!(value instanceof Map)) {
            throw new SigmaRuleException(where + key + " must be a map, not " + DetectionCompiler.describe(value));
        }
        return (Map<String, Object>) value;
    }
}
