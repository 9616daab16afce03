package dev.sigmacep.alert;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/** Writes alerts as one-line JSON objects (UTF-8) in the DESIGN.md alert schema. Thread-safe. */
public final class AlertJson {
    // exact numbers: evidence records come back as they were read, not reformatted through doubles
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final byte[] EVENTS = ",\"events\":[".getBytes(StandardCharsets.US_ASCII);

    private AlertJson() {
    }

    /**
     * The alert as one JSON line, UTF-8. Every field but the evidence goes through Jackson; the evidence records,
     * already JSON, are copied in byte for byte, except that a pretty-printed one is folded onto one line.
     */
    public static byte[] toJson(Alert alert) {
        int size = 512;
        for (byte[] event : alert.eventsUtf8()) {
            size += event.length + 1;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(size);
        try (JsonGenerator json = MAPPER.getFactory().createGenerator(out)
                .disable(JsonGenerator.Feature.AUTO_CLOSE_JSON_CONTENT)) {
            json.writeStartObject();
            json.writeStringField("rule_id", alert.ruleId());
            json.writeStringField("rule_name", alert.ruleName());
            json.writeStringField("rule_title", alert.ruleTitle());
            json.writeStringField("level", alert.level());
            json.writeArrayFieldStart("tags");
            for (String tag : alert.tags()) {
                json.writeString(tag);
            }
            json.writeEndArray();
            json.writeStringField("host", alert.host());
            json.writeObjectFieldStart("group_by");
            for (Map.Entry<String, String> entry : alert.groupBy().entrySet()) {
                json.writeStringField(entry.getKey(), entry.getValue());
            }
            json.writeEndObject();
            json.writeStringField("first_event_time", formatTime(alert.firstEventMicros()));
            json.writeStringField("last_event_time", formatTime(alert.lastEventMicros()));
            // the object stays open: the evidence array is appended below
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.writeBytes(EVENTS);
        boolean first = true;
        for (byte[] event : alert.eventsUtf8()) {
            if (!first) {
                out.write(',');
            }
            first = false;
            out.writeBytes(isOneLine(event) ? event : folded(event));
        }
        out.write(']');
        out.write('}');
        return out.toByteArray();
    }

    /** ISO-8601 UTC with milliseconds, e.g. {@code 2020-10-20T22:33:02.059Z}. */
    public static String formatTime(long epochMicros) {
        return TIME.format(Instant.ofEpochSecond(Math.floorDiv(epochMicros, 1_000_000L),
                Math.floorMod(epochMicros, 1_000_000L) * 1000L));
    }

    /** UTF-8 never uses the bytes of CR and LF inside another character. */
    private static boolean isOneLine(byte[] record) {
        for (byte b : record) {
            if (b == '\n' || b == '\r') {
                return false;
            }
        }
        return true;
    }

    /** Records reach alerts only after they decoded, so they are JSON. */
    private static byte[] folded(byte[] record) {
        try {
            JsonNode node = MAPPER.readTree(record);
            return MAPPER.writeValueAsBytes(node);
        } catch (IOException e) {
            try {
                return MAPPER.writeValueAsBytes(new String(record, StandardCharsets.UTF_8));
            } catch (IOException impossible) {
                throw new UncheckedIOException(impossible);
            }
        }
    }
}
