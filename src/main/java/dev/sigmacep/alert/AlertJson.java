package dev.sigmacep.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;

import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/** Writes alerts as one-line JSON objects in the DESIGN.md alert schema. Thread-safe. */
public final class AlertJson {
    // exact numbers: evidence records come back as they were read, not reformatted through doubles
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private AlertJson() {
    }

    public static String toJson(Alert alert) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("rule_id", alert.ruleId());
        node.put("rule_name", alert.ruleName());
        node.put("rule_title", alert.ruleTitle());
        node.put("level", alert.level());
        ArrayNode tags = node.putArray("tags");
        alert.tags().forEach(tags::add);
        node.put("host", alert.host());
        ObjectNode groupBy = node.putObject("group_by");
        for (Map.Entry<String, String> entry : alert.groupBy().entrySet()) {
            groupBy.put(entry.getKey(), entry.getValue());
        }
        node.put("first_event_time", formatTime(alert.firstEventMicros()));
        node.put("last_event_time", formatTime(alert.lastEventMicros()));
        ArrayNode events = node.putArray("events");
        for (String raw : alert.events()) {
            // one-line records go out byte for byte as read; pretty-printed ones are folded onto one line
            if (raw.indexOf('\n') < 0 && raw.indexOf('\r') < 0) {
                events.addRawValue(new RawValue(raw));
            } else {
                events.add(parse(raw));
            }
        }
        return write(node);
    }

    /** ISO-8601 UTC with milliseconds, e.g. {@code 2020-10-20T22:33:02.059Z}. */
    public static String formatTime(long epochMicros) {
        return TIME.format(Instant.ofEpochSecond(Math.floorDiv(epochMicros, 1_000_000L),
                Math.floorMod(epochMicros, 1_000_000L) * 1000L));
    }

    /** Records reach alerts only after they decoded, so they are JSON. */
    private static JsonNode parse(String raw) {
        try {
            return MAPPER.readTree(raw);
        } catch (JsonProcessingException e) {
            return MAPPER.getNodeFactory().textNode(raw);
        }
    }

    static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
