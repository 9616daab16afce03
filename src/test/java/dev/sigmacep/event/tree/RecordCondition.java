package dev.sigmacep.event.tree;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A test on a JSON record from the mapping file: each path must be present ({@code "*"}) or have the given value
 * (ignoring case; an array holds the value when one of its elements does).
 */
final class RecordCondition {
    private static final String PRESENT = "*";

    private record Entry(SourcePath path, String expected) {
    }

    private final List<Entry> entries = new ArrayList<>();

    RecordCondition(Map<String, Object> spec) {
        spec.forEach((path, expected) -> entries.add(new Entry(SourcePath.of(path), String.valueOf(expected))));
    }

    boolean holds(JsonNode record) {
        for (Entry entry : entries) {
            JsonNode node = entry.path.find(record);
            if (node == null) return false;
            if (!entry.expected.equals(PRESENT) && !hasValue(node, entry.expected)) return false;
        }
        return true;
    }

    private static boolean hasValue(JsonNode node, String expected) {
        if (node.isArray()) {
            for (JsonNode element : node) {
                if (element.isValueNode() && element.asText().equalsIgnoreCase(expected)) return true;
            }
            return false;
        }
        return node.isValueNode() && node.asText().equalsIgnoreCase(expected);
    }
}
