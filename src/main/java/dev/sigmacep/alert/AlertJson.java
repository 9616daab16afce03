package dev.sigmacep.alert;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sigmacep.serialize.ByteSearch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Writes alerts as one-line JSON objects (UTF-8) in the DESIGN.md alert schema. Thread-safe. */
public final class AlertJson {
    // exact numbers: evidence records come back as they were read, not reformatted through doubles
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final byte[] RULE_ID = ascii("{\"rule_id\":");
    private static final byte[] RULE_NAME = ascii(",\"rule_name\":");
    private static final byte[] RULE_TITLE = ascii(",\"rule_title\":");
    private static final byte[] LEVEL = ascii(",\"level\":");
    private static final byte[] TAGS = ascii(",\"tags\":[");
    private static final byte[] HOST = ascii("],\"host\":");
    private static final byte[] GROUP_BY = ascii(",\"group_by\":{");
    private static final byte[] FIRST_EVENT_TIME = ascii("},\"first_event_time\":");
    private static final byte[] LAST_EVENT_TIME = ascii(",\"last_event_time\":");
    private static final byte[] RULE_VERSION = ascii(",\"rule_version\":");
    private static final byte[] CORRELATION_TYPE = ascii(",\"correlation_type\":");
    private static final byte[] CORRELATION_VALUE = ascii(",\"correlation_value\":");
    private static final byte[] SUPPRESSED_COUNT = ascii(",\"suppressed_count\":");
    private static final byte[] SUPPRESSED_FIRST_TIME = ascii(",\"suppressed_first_time\":");
    private static final byte[] SUPPRESSED_LAST_TIME = ascii(",\"suppressed_last_time\":");
    private static final byte[] EVENTS = ascii(",\"events\":[");
    private static final byte[] NULL = ascii("null");
    private static final int TIME_LENGTH = "2020-10-20T22:33:02.059Z".length();
    private static final long MIN_FAST_DAY = LocalDate.of(1000, 1, 1).toEpochDay();
    private static final long MAX_FAST_DAY = LocalDate.of(9999, 12, 31).toEpochDay();

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private AlertJson() {
    }

    /**
     * The alert as one JSON line, UTF-8. Names and values are written as Jackson's generator writes them (its
     * string encoder escapes what needs escaping); the evidence records, already JSON, are copied in byte for
     * byte, except that a pretty-printed one is folded onto one line. Written by hand rather than through a
     * generator per alert: alerts are as many as events on a busy stream, and this is most of their cost.
     */
    public static byte[] toJson(Alert alert) {
        JsonBytes out = new JsonBytes(512); // all but the records, which are copied once, into an array of their size
        out.raw(RULE_ID).string(alert.ruleId());
        out.raw(RULE_NAME).string(alert.ruleName());
        out.raw(RULE_TITLE).string(alert.ruleTitle());
        out.raw(LEVEL).string(alert.level());
        out.raw(TAGS);
        boolean first = true;
        for (String tag : alert.tags()) {
            if (!first) out.raw(',');
            first = false;
            out.string(tag);
        }
        out.raw(HOST).string(alert.host());
        out.raw(GROUP_BY);
        first = true;
        for (Map.Entry<String, String> entry : alert.groupBy().entrySet()) {
            if (!first) out.raw(',');
            first = false;
            out.string(entry.getKey()).raw(':').string(entry.getValue());
        }
        out.raw(FIRST_EVENT_TIME).time(alert.firstEventMicros());
        out.raw(LAST_EVENT_TIME).time(alert.lastEventMicros());
        if (alert.ruleVersion() != null) {
            out.raw(RULE_VERSION).raw(ascii(Integer.toString(alert.ruleVersion())));
        }
        if (alert.correlationType() != null) {
            out.raw(CORRELATION_TYPE).string(alert.correlationType());
        }
        if (alert.correlationValue() != null) {
            out.raw(CORRELATION_VALUE).raw(ascii(number(alert.correlationValue())));
        }
        if (alert.suppressed() != null) {
            out.raw(SUPPRESSED_COUNT).raw(ascii(Integer.toString(alert.suppressed().count())));
            out.raw(SUPPRESSED_FIRST_TIME).time(alert.suppressed().firstMicros());
            out.raw(SUPPRESSED_LAST_TIME).time(alert.suppressed().lastMicros());
        }
        out.raw(EVENTS);
        List<byte[]> events = alert.eventsUtf8();
        byte[][] lines = new byte[events.size()][];
        int size = out.length + Math.max(0, lines.length - 1) + 2; // commas between the records, then "]}"
        for (int i = 0; i < lines.length; i++) {
            byte[] event = events.get(i);
            lines[i] = isOneLine(event) ? event : folded(event);
            size += lines[i].length;
        }
        byte[] json = Arrays.copyOf(out.bytes, size);
        int at = out.length;
        for (int i = 0; i < lines.length; i++) {
            if (i > 0) json[at++] = ',';
            System.arraycopy(lines[i], 0, json, at, lines[i].length);
            at += lines[i].length;
        }
        json[at++] = ']';
        json[at] = '}';
        return json;
    }

    /** A JSON number: integral values without a fraction ({@code 12}, not {@code 12.0}); null where JSON has none. */
    static String number(double value) {
        if (!Double.isFinite(value)) return "null";
        if (value == Math.rint(value) && Math.abs(value) < 1e15) return Long.toString((long) value);
        return Double.toString(value);
    }

    /** ISO-8601 UTC with milliseconds, e.g. {@code 2020-10-20T22:33:02.059Z}. */
    public static String formatTime(long epochMicros) {
        byte[] text = new byte[TIME_LENGTH];
        if (writeTime(epochMicros, text, 0)) return new String(text, StandardCharsets.US_ASCII);
        return TIME.format(Instant.ofEpochSecond(Math.floorDiv(epochMicros, 1_000_000L),
                Math.floorMod(epochMicros, 1_000_000L) * 1000L));
    }

    /** Writes a time of years 1000 to 9999 (four-digit years: the pattern's own width) and says whether it did. */
    private static boolean writeTime(long epochMicros, byte[] to, int at) {
        long millis = Math.floorDiv(epochMicros, 1000L);
        long days = Math.floorDiv(millis, 86_400_000L);
        int millisOfDay = (int) Math.floorMod(millis, 86_400_000L);
        if (days < MIN_FAST_DAY || days > MAX_FAST_DAY) return false;
        LocalDate date = LocalDate.ofEpochDay(days);
        digits(to, at, date.getYear(), 4);
        to[at + 4] = '-';
        digits(to, at + 5, date.getMonthValue(), 2);
        to[at + 7] = '-';
        digits(to, at + 8, date.getDayOfMonth(), 2);
        to[at + 10] = 'T';
        digits(to, at + 11, millisOfDay / 3_600_000, 2);
        to[at + 13] = ':';
        digits(to, at + 14, millisOfDay / 60_000 % 60, 2);
        to[at + 16] = ':';
        digits(to, at + 17, millisOfDay / 1000 % 60, 2);
        to[at + 19] = '.';
        digits(to, at + 20, millisOfDay % 1000, 3);
        to[at + 23] = 'Z';
        return true;
    }

    private static void digits(byte[] to, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            to[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }

    /** UTF-8 never uses the bytes of CR and LF inside another character. One pass: records are most of an alert. */
    static boolean isOneLine(byte[] record) {
        return ByteSearch.indexOfAny(record, 0, record.length, (byte) '\n', (byte) '\r') < 0;
    }

    /** A growing byte array with JSON string writing. */
    private static final class JsonBytes {
        private byte[] bytes;
        private int length;

        JsonBytes(int capacity) {
            bytes = new byte[capacity];
        }

        JsonBytes raw(byte[] data) {
            ensure(data.length);
            System.arraycopy(data, 0, bytes, length, data.length);
            length += data.length;
            return this;
        }

        JsonBytes raw(char c) {
            ensure(1);
            bytes[length++] = (byte) c;
            return this;
        }

        JsonBytes time(long epochMicros) {
            ensure(TIME_LENGTH + 2);
            bytes[length] = '"';
            if (writeTime(epochMicros, bytes, length + 1)) {
                bytes[length + 1 + TIME_LENGTH] = '"';
                length += TIME_LENGTH + 2;
                return this;
            }
            return string(formatTime(epochMicros));
        }

        /** A JSON string as Jackson writes it: printable ASCII as it is, the rest through its encoder. */
        JsonBytes string(String value) {
            if (value == null) return raw(NULL);
            int n = value.length();
            ensure(n + 2);
            int at = length;
            bytes[at++] = '"';
            for (int i = 0; i < n; i++) {
                char c = value.charAt(i);
                if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') {
                    return raw('"').raw(quoted(value)).raw('"');
                }
                bytes[at++] = (byte) c;
            }
            bytes[at++] = '"';
            length = at;
            return this;
        }

        private void ensure(int more) {
            if (length + more > bytes.length) bytes = Arrays.copyOf(bytes, Math.max(length + more, bytes.length * 2));
        }
    }

    /**
     * The string's JSON-escaped UTF-8 (without quotes), as Jackson's generator writes it: its string encoder for
     * the text, and every surrogate (paired or not) as a {@code \\uXXXX} escape, as the generator does unless told
     * to combine pairs.
     */
    private static byte[] quoted(String value) {
        JsonStringEncoder encoder = JsonStringEncoder.getInstance();
        ByteArrayOutputStream out = null;
        int runStart = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isSurrogate(c)) {
                if (out == null) out = new ByteArrayOutputStream(value.length() + 16);
                out.writeBytes(encoder.quoteAsUTF8(value.substring(runStart, i)));
                out.writeBytes(ascii(String.format("\\u%04X", (int) c)));
                runStart = i + 1;
            }
        }
        if (out == null) return encoder.quoteAsUTF8(value);
        out.writeBytes(encoder.quoteAsUTF8(value.substring(runStart)));
        return out.toByteArray();
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
