package dev.sigmacep.event.tree;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A dotted path into a JSON record ({@code process.parent.executable}, {@code Event.System.TimeCreated.#attributes.SystemTime}).
 * A member whose name itself contains dots (flattened ECS: {@code "process.executable": ...}) is found as well.
 * {@code .} is the record itself. An event-data path may end in {@code *}: the value of the object's only member,
 * whatever its name (UserData's element); absent when the object has several members.
 */
final class SourcePath {
    private static final String ONLY_MEMBER = "*";

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
        SourcePath path = eventData(text);
        if (path.endsWithOnlyMember()) throw new IllegalArgumentException("path " + text + ": '*' can only end an event-data path");
        return path;
    }

    static SourcePath eventData(String text) {
        String[] segments = text.equals(".") ? new String[0] : text.split("\\.");
        for (int i = 0; i < segments.length; i++) {
            if (segments[i].equals(ONLY_MEMBER) && (i != segments.length - 1 || i == 0)) {
                throw new IllegalArgumentException("path " + text + ": '*' can only end an event-data path");
            }
        }
        return new SourcePath(text, segments);
    }

    boolean endsWithOnlyMember() {
        return segments.length > 0 && segments[segments.length - 1].equals(ONLY_MEMBER);
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
        if (segments[from].equals(ONLY_MEMBER)) return node.size() == 1 ? node.elements().next() : null;
        JsonNode child = node.get(segments[from]);
        if (child != null) {
            JsonNode found = find(child, from + 1);
            if (found != null) return found;
        }
        int end = endsWithOnlyMember() ? segments.length - 1 : segments.length; // '*' is never part of a dotted name
        for (int to = from + 1; to < end; to++) {
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
