package dev.sigmacep.event.tree;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** Shape checks for the mapping file, so a typo fails at load time with its location. */
final class MappingFile {
    private MappingFile() {
    }

    static void onlyKeys(Map<?, ?> map, String where, String... allowed) {
        Set<String> known = Set.of(allowed);
        for (Object key : map.keySet()) {
            if (!known.contains(String.valueOf(key))) {
                throw new IllegalArgumentException(where + ": unknown key '" + key + "'");
            }
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value, String where) {
        if (value == null) return Map.of();
        if (value instanceof Map<?, ?> map) return (Map<String, Object>) map;
        throw new IllegalArgumentException(where + ": expected a mapping");
    }

    static List<?> list(Object value, String where) {
        if (value == null) return List.of();
        if (value instanceof List<?> list) return list;
        throw new IllegalArgumentException(where + ": expected a list");
    }
}
