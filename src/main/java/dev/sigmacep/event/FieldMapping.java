package dev.sigmacep.event;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.sigmacep.event.MappingFile.list;
import static dev.sigmacep.event.MappingFile.map;

/** How one record shape (format) is recognised and mapped to canonical fields; one entry of the mapping file. */
final class FieldMapping {

    /** Canonical fields to set when the record has no EventID and {@code when} holds. */
    record Inference(RecordCondition when, Map<String, Object> set) {
    }

    private final String format;
    // arrays, not lists: walked for every record
    private final RecordCondition[] detect;
    private final SourcePath[] eventData;
    private final boolean eventDataIsText;
    private final NameSet drop;
    private final FieldRule[] fields;
    private final SourcePath[] time;
    private final List<Inference> infer;
    private final boolean emptyIsAbsent;

    private FieldMapping(String format, List<RecordCondition> detect, List<SourcePath> eventData, boolean eventDataIsText,
                         NameSet drop, List<FieldRule> fields, List<SourcePath> time, List<Inference> infer,
                         boolean emptyIsAbsent) {
        this.format = format;
        this.detect = detect.toArray(new RecordCondition[0]);
        this.eventData = eventData.toArray(new SourcePath[0]);
        this.eventDataIsText = eventDataIsText;
        this.drop = drop;
        this.fields = fields.toArray(new FieldRule[0]);
        this.time = time.toArray(new SourcePath[0]);
        this.infer = infer;
        this.emptyIsAbsent = emptyIsAbsent;
    }

    /** Registers the paths it reads in {@code paths}. */
    static FieldMapping parse(String format, Map<String, Object> spec, RecordPaths paths) {
        String where = "formats." + format;
        MappingFile.onlyKeys(spec, where, "detect", "event-data", "event-data-encoding", "drop", "fields", "time", "infer",
                "empty-is-absent");
        List<RecordCondition> detect = new ArrayList<>();
        for (Object alternative : list(spec.get("detect"), where + ".detect")) {
            detect.add(new RecordCondition(map(alternative, where + ".detect"), paths));
        }
        if (detect.isEmpty()) throw new IllegalArgumentException(where + ": no detect");
        Object encoding = spec.get("event-data-encoding");
        if (encoding != null && !encoding.equals("text")) {
            throw new IllegalArgumentException(where + ": event-data-encoding must be text");
        }
        NameSet drop = new NameSet(list(spec.get("drop"), where + ".drop").stream().map(String::valueOf).toList());
        List<SourcePath> eventData = eventDataPaths(spec.get("event-data"), where).stream()
                .map(path -> paths.eventData(path, drop)).toList();
        if (encoding != null && eventData.stream().anyMatch(path -> path.text().endsWith("." + RecordPaths.ONLY_MEMBER_SEGMENT))) {
            throw new IllegalArgumentException(where + ": event data given as text is not read through '*'");
        }
        List<FieldRule> fields = new ArrayList<>();
        map(spec.get("fields"), where + ".fields").forEach((target, source) ->
                fields.add(FieldRule.parse(target, source, path -> paths.path(path, RecordPaths.VALUE))));
        List<SourcePath> time = list(spec.get("time"), where + ".time").stream()
                .map(p -> paths.path((String) p, RecordPaths.TIME)).toList();
        if (time.isEmpty()) throw new IllegalArgumentException(where + ": no time paths");
        List<Inference> infer = new ArrayList<>();
        for (Object alternative : list(spec.get("infer"), where + ".infer")) {
            Map<String, Object> alt = map(alternative, where + ".infer");
            MappingFile.onlyKeys(alt, where + ".infer", "when", "set");
            infer.add(new Inference(new RecordCondition(map(alt.get("when"), where + ".infer.when"), paths),
                    new LinkedHashMap<>(map(alt.get("set"), where + ".infer.set"))));
        }
        Object emptyIsAbsent = spec.getOrDefault("empty-is-absent", false);
        if (!(emptyIsAbsent instanceof Boolean)) {
            throw new IllegalArgumentException(where + ": empty-is-absent must be true or false");
        }
        return new FieldMapping(format, detect, eventData, encoding != null, drop, fields, time, List.copyOf(infer),
                (Boolean) emptyIsAbsent);
    }

    /** A path or a list of paths. */
    static List<String> eventDataPaths(Object spec, String where) {
        if (spec instanceof String path) return List.of(path);
        return list(spec, where + ".event-data").stream().map(path -> {
            if (path instanceof String text) return text;
            throw new IllegalArgumentException(where + ".event-data: expected a path, not " + path);
        }).toList();
    }

    String format() {
        return format;
    }

    boolean detects(RecordReader record) {
        for (RecordCondition alternative : detect) {
            if (alternative.holds(record)) return true;
        }
        return false;
    }

    /** Where the EventData fields may be; the first present is read (empty when the format has none). */
    SourcePath[] eventData() {
        return eventData;
    }

    boolean eventDataIsText() {
        return eventDataIsText;
    }

    NameSet drop() {
        return drop;
    }

    FieldRule[] fields() {
        return fields;
    }

    SourcePath[] time() {
        return time;
    }

    List<Inference> infer() {
        return infer;
    }

    /**
     * Whether an empty string counts as absent for field rules and time paths, so that the next path of a list is
     * read: KQL has no null string, so a Sentinel export writes {@code ""} for a column without a value.
     */
    boolean emptyIsAbsent() {
        return emptyIsAbsent;
    }
}
