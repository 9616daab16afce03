package dev.sigmacep.event.tree;

import com.fasterxml.jackson.databind.JsonNode;
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

import static dev.sigmacep.event.tree.MappingFile.map;

/**
 * The field-mapping file ({@code /event/field-mappings.yaml}): the record shapes in detection order, mappings for
 * particular events (Security 4688), and canonical spellings of values. Immutable; the default is loaded once.
 */
final class FieldMappings {
    static final String RESOURCE = "/event/field-mappings.yaml";

    /** Mapping for events whose canonical fields have the given values (ignoring case). */
    record EventMapping(String name, Map<String, String> when, List<FieldRule> fields) {
        boolean appliesTo(Map<String, Object> event) {
            for (Map.Entry<String, String> condition : when.entrySet()) {
                Object value = event.get(condition.getKey());
                if (value == null || !value.toString().equalsIgnoreCase(condition.getValue())) return false;
            }
            return true;
        }
    }

    private static final class Default {
        static final FieldMappings INSTANCE = loadResource();
    }

    private final List<FieldMapping> formats;
    private final List<EventMapping> events;
    private final Map<String, Map<String, String>> normalize;

    private FieldMappings(List<FieldMapping> formats, List<EventMapping> events, Map<String, Map<String, String>> normalize) {
        this.formats = formats;
        this.events = events;
        this.normalize = normalize;
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
        } catch (RejectedYamlException e) {
            throw new IllegalArgumentException(RESOURCE + ": " + e.getMessage(), e);
        }
    }

    private static FieldMappings load(String yaml) throws RejectedYamlException {
        Map<String, Object> root = map(SafeYaml.loadOne(yaml), "mapping file");
        MappingFile.onlyKeys(root, "mapping file", "formats", "events", "normalize");

        List<FieldMapping> formats = new ArrayList<>();
        map(root.get("formats"), "formats").forEach((name, spec) -> formats.add(FieldMapping.parse(name, map(spec, name))));

        List<EventMapping> events = new ArrayList<>();
        map(root.get("events"), "events").forEach((name, value) -> {
            Map<String, Object> spec = map(value, "events." + name);
            MappingFile.onlyKeys(spec, "events." + name, "when", "fields");
            Map<String, String> when = new HashMap<>();
            map(spec.get("when"), "events." + name + ".when").forEach((field, v) -> when.put(field, String.valueOf(v)));
            List<FieldRule> fields = new ArrayList<>();
            map(spec.get("fields"), "events." + name + ".fields").forEach((t, s) -> fields.add(FieldRule.parse(t, s)));
            events.add(new EventMapping(name, Map.copyOf(when), List.copyOf(fields)));
        });

        Map<String, Map<String, String>> normalize = new HashMap<>();
        map(root.get("normalize"), "normalize").forEach((field, table) -> {
            Map<String, String> spellings = new HashMap<>();
            map(table, "normalize." + field).forEach((k, v) -> spellings.put(k.toLowerCase(Locale.ROOT), String.valueOf(v)));
            normalize.put(field, Map.copyOf(spellings));
        });
        return new FieldMappings(List.copyOf(formats), List.copyOf(events), Map.copyOf(normalize));
    }

    /** The first format whose detection holds for the record, or null. */
    FieldMapping detect(JsonNode record) {
        for (FieldMapping format : formats) {
            if (format.detects(record)) return format;
        }
        return null;
    }

    List<EventMapping> events() {
        return events;
    }

    Map<String, Map<String, String>> normalize() {
        return normalize;
    }
}
