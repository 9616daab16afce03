package dev.sigmacep.event;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * One canonical field and where its value comes from: the first present of some paths, optionally transformed or
 * looked up in a table, or several paths joined (domain and user name). Sources are a record's values (format
 * mappings: a scalar's text, or {@link RecordReader.Composite} for an object or array) or the event's own field
 * values (event-specific mappings).
 */
final class FieldRule {
    private final String target;
    private final SourcePath[] from; // arrays: walked for every record
    private final SourcePath[] join;
    private final String separator;
    private final ValueTransform transform;
    private final Map<String, String> values;
    private final boolean keepUnlisted;

    private FieldRule(String target, List<SourcePath> from, List<SourcePath> join, String separator,
                      ValueTransform transform, Map<String, String> values, boolean keepUnlisted) {
        this.target = target.intern(); // events are looked up by identity first (Event.field)
        this.from = from.toArray(new SourcePath[0]);
        this.join = join.toArray(new SourcePath[0]);
        this.separator = separator;
        this.transform = transform;
        this.values = values;
        this.keepUnlisted = keepUnlisted;
    }

    /**
     * From the mapping file: a path, a list of paths, or {from|join, separator, transform, values, otherwise}.
     * {@code paths} makes the source paths (record paths or the event's own field names).
     */
    static FieldRule parse(String target, Object spec, Function<String, SourcePath> paths) {
        if (!(spec instanceof Map<?, ?>)) {
            return new FieldRule(target, paths(spec, paths), List.of(), "", null, null, true);
        }
        Map<String, Object> map = MappingFile.map(spec, "field " + target);
        MappingFile.onlyKeys(map, "field " + target, "from", "join", "separator", "transform", "values", "otherwise");
        List<SourcePath> from = map.containsKey("from") ? paths(map.get("from"), paths) : List.of();
        List<SourcePath> join = map.containsKey("join") ? paths(map.get("join"), paths) : List.of();
        if (from.isEmpty() == join.isEmpty()) {
            throw new IllegalArgumentException("field " + target + ": give either 'from' or 'join'");
        }
        ValueTransform transform = map.containsKey("transform") ? ValueTransform.named((String) map.get("transform")) : null;
        Map<String, String> values = null;
        if (map.get("values") instanceof Map<?, ?> table) {
            values = new HashMap<>();
            for (Map.Entry<?, ?> e : table.entrySet()) {
                values.put(String.valueOf(e.getKey()).toLowerCase(Locale.ROOT), String.valueOf(e.getValue()));
            }
        }
        Object otherwise = map.getOrDefault("otherwise", "keep");
        if (!otherwise.equals("keep") && !otherwise.equals("drop")) {
            throw new IllegalArgumentException("field " + target + ": otherwise must be keep or drop");
        }
        String separator = String.valueOf(map.getOrDefault("separator", ""));
        return new FieldRule(target, from, join, separator, transform, values, otherwise.equals("keep"));
    }

    private static List<SourcePath> paths(Object spec, Function<String, SourcePath> paths) {
        if (spec instanceof String s) return List.of(paths.apply(s));
        if (spec instanceof List<?> list) return list.stream().map(p -> paths.apply(String.valueOf(p))).toList();
        throw new IllegalArgumentException("a source is a path or a list of paths, not " + spec);
    }

    String target() {
        return target;
    }

    /** The value, or null when the sources are absent; a JSON object or array where a value belongs fails. */
    String valueFrom(Function<SourcePath, Object> lookup) {
        if (join.length > 0) return joined(lookup);
        String value = null;
        for (SourcePath path : from) {
            value = text(lookup.apply(path));
            if (value != null) break;
        }
        if (value == null) return null;
        if (transform != null) value = transform.apply(value);
        if (values != null) {
            String mapped = values.get(value.toLowerCase(Locale.ROOT));
            if (mapped != null) return mapped;
            return keepUnlisted ? value : null;
        }
        return value;
    }

    private String joined(Function<SourcePath, Object> lookup) {
        StringBuilder sb = null;
        for (SourcePath path : join) {
            String part = text(lookup.apply(path));
            if (part == null || part.isEmpty()) continue;
            if (sb == null) sb = new StringBuilder(part);
            else sb.append(separator).append(part);
        }
        return sb == null ? null : sb.toString();
    }

    private String text(Object value) {
        if (value == null) return null;
        if (value instanceof RecordReader.Composite composite) throw DecodeFailure.wrongType(target, composite.label);
        return value.toString();
    }
}
