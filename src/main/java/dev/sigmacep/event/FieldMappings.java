package dev.sigmacep.event;

import dev.sigmacep.yaml.RejectedYamlException;
import dev.sigmacep.yaml.SafeYaml;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static dev.sigmacep.event.MappingFile.map;

/**
 * The field-mapping file ({@code /event/field-mappings.yaml}): the record shapes in detection order, mappings for
 * particular events (Security 4688), canonical spellings of values, and the record locations all shapes read
 * ({@link RecordPaths}). Immutable; the default is loaded once.
 */
final class FieldMappings {
    static final String RESOURCE = "/event/field-mappings.yaml";

    /** Mapping for events whose canonical fields have the given values (ignoring case). */
    static final class EventMapping {
        private final String name;
        // arrays, not collections, here and below: walked for every record
        private final String[] whenFields;
        private final String[] whenValues;
        private final FieldRule[] fields;

        EventMapping(String name, Map<String, String> when, List<FieldRule> fields) {
            this.name = name;
            this.whenFields = when.keySet().stream().map(String::intern).toArray(String[]::new);
            this.whenValues = when.values().toArray(new String[0]);
            this.fields = fields.toArray(new FieldRule[0]);
        }

        boolean appliesTo(FieldTable event) {
            for (int i = 0; i < whenFields.length; i++) {
                Object value = event.get(whenFields[i]);
                if (value == null || !value.toString().equalsIgnoreCase(whenValues[i])) return false;
            }
            return true;
        }

        String name() {
            return name;
        }

        FieldRule[] fields() {
            return fields;
        }
    }

    /** Canonical spellings of one field's values, looked up ignoring case. */
    static final class Spellings {
        private final String field;
        private final Map<String, String> byLowerCase;
        /** The same answers for values written as the file writes them, found without lower-casing each value. */
        private final Map<String, String> exact;

        Spellings(String field, Map<String, String> byLowerCase) {
            this.field = field.intern(); // events are looked up by identity first
            this.byLowerCase = Map.copyOf(byLowerCase);
            this.exact = new HashMap<>(byLowerCase);
            for (String canonical : byLowerCase.values()) {
                String answer = byLowerCase.get(canonical.toLowerCase(Locale.ROOT));
                if (answer != null) exact.put(canonical, answer);
            }
        }

        String field() {
            return field;
        }

        /** The canonical spelling of {@code value}, or null to keep it. */
        String canonical(String value) {
            String canonical = exact.get(value);
            return canonical != null ? canonical : byLowerCase.get(value.toLowerCase(Locale.ROOT));
        }
    }

    private static final class Default {
        static final FieldMappings INSTANCE = loadResource();
    }

    private final FieldMapping[] formats; // walked for every record
    private final EventMapping[] events;
    private final Spellings[] normalize;
    private final RecordPaths paths;

    private FieldMappings(List<FieldMapping> formats, List<EventMapping> events, List<Spellings> normalize,
                          RecordPaths paths) {
        this.formats = formats.toArray(new FieldMapping[0]);
        this.events = events.toArray(new EventMapping[0]);
        this.normalize = normalize.toArray(new Spellings[0]);
        this.paths = paths;
    }

    static FieldMappings defaults() {
        return Default.INSTANCE;
    }

    private static FieldMappings loadResource() {
        try (InputStream in = FieldMappings.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException("resource " + RESOURCE + " missing");
            return load(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @throws IllegalArgumentException naming the place of a problem in the file */
    static FieldMappings load(String yaml) {
        Map<String, Object> root;
        try {
            root = map(SafeYaml.loadOne(yaml), "mapping file");
        } catch (RejectedYamlException e) {
            throw new IllegalArgumentException("mapping file: " + e.getMessage(), e);
        }
        MappingFile.onlyKeys(root, "mapping file", "formats", "events", "normalize");

        RecordPaths paths = new RecordPaths();
        List<FieldMapping> formats = new ArrayList<>();
        map(root.get("formats"), "formats").forEach((name, spec) -> formats.add(FieldMapping.parse(name, map(spec, name), paths)));

        List<EventMapping> events = new ArrayList<>();
        map(root.get("events"), "events").forEach((name, value) -> {
            Map<String, Object> spec = map(value, "events." + name);
            MappingFile.onlyKeys(spec, "events." + name, "when", "fields");
            Map<String, String> when = new HashMap<>();
            map(spec.get("when"), "events." + name + ".when").forEach((field, v) -> when.put(field, String.valueOf(v)));
            List<FieldRule> fields = new ArrayList<>();
            map(spec.get("fields"), "events." + name + ".fields").forEach((t, s) -> fields.add(FieldRule.parse(t, s, SourcePath::named)));
            events.add(new EventMapping(name, when, fields));
        });

        List<Spellings> normalize = new ArrayList<>();
        map(root.get("normalize"), "normalize").forEach((field, table) -> {
            Map<String, String> spellings = new HashMap<>();
            map(table, "normalize." + field).forEach((k, v) -> spellings.put(k.toLowerCase(Locale.ROOT), String.valueOf(v)));
            normalize.add(new Spellings(field, spellings));
        });
        return new FieldMappings(formats, events, normalize, paths);
    }

    /** The first format whose detection holds for the record, or null. */
    FieldMapping detect(RecordReader record) {
        for (FieldMapping format : formats) {
            if (format.detects(record)) return format;
        }
        return null;
    }

    EventMapping[] events() {
        return events;
    }

    Spellings[] normalize() {
        return normalize;
    }

    RecordPaths paths() {
        return paths;
    }
}
