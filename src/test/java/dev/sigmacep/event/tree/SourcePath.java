package dev.sigmacep.event.tree;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A dotted path into a JSON record ({@code process.parent.executable}, {@code Event.System.TimeCreated.#attributes.SystemTime}).
 * A member whose name itself contains dots (flattened ECS: {@code "process.executable": ...}) is found as well.
 * {@code .} is the record itself.
 */
final class SourcePath {
    private final String text;
    private final String[] segments;
    /** joined[from][to] = segments from..to joined with dots: member names of flattened records. */
    private final String[][] joined;

    private SourcePath(String text, String[] segments) {
        this.text = text;
        this.segments = segments;
        this.joined = new String[segments.length][segments.length];
        for (int from = 0; from < segments.length; from++) {
            StringBuilder sb = new StringBuilder(segments[from]);
            for (int to = from + 1; to < segments.length; to++) joined[from][to] = sb.append('.').append(segments[to]).toString();
        }
    }

    static SourcePath of(String text) {
        return new SourcePath(text, text.equals(".") ? new String[0] : text.split("\\."));
    }

    String text() {
        return text;
    }

    /** The node at this path, or null when absent or JSON null. */
    JsonNode find(JsonNode root) {
        JsonNode node = find(root, 0);
        return node == null || node.isNull() ? null : node;
    }

    private JsonNode find(JsonNode node, int from) {
        if (from == segments.length) return node;
        if (!node.isObject()) return null;
        JsonNode child = node.get(segments[from]);
        if (child != null) {
            JsonNode found = find(child, from + 1);
            if (found != null) return found;
        }
        for (int to = from + 1; to < segments.length; to++) {
            child = node.get(joined[from][to]);
            if (child != null) {
                JsonNode found = find(child, to + 1);
                if (found != null) return found;
            }
        }
        return null;
    }

    /** Replaces the node at this path (nested form only); false when its parent is not an object. */
    boolean replace(JsonNode root, JsonNode value) {
        if (segments.length == 0) return false;
        JsonNode parent = root;
        for (int i = 0; i < segments.length - 1 && parent != null; i++) parent = parent.get(segments[i]);
        if (!(parent instanceof ObjectNode object)) return false;
        object.set(segments[segments.length - 1], value);
        return true;
    }

    @Override
    public String toString() {
        return text;
    }
}
