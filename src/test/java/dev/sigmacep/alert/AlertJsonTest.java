package dev.sigmacep.alert;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class AlertJsonTest {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final String[] PIECES = {"a", "Z", "0", " ", "\"", "\\", "/", "\n", "\r", "\t", "\b", "\f", "\u0001",
            "\u001f", "\u007f", "é", "ß", "\u20ac", "\u4e2d", "\uD83D\uDE00", "C:\\Windows\\System32\\wermgr.exe", ""};

    @Test
    void sameBytesAsJacksonsGeneratorWrote() throws IOException {
        Random random = new Random(17);
        for (int i = 0; i < 5_000; i++) {
            List<String> tags = new ArrayList<>();
            for (int t = random.nextInt(4); t > 0; t--) tags.add(text(random));
            Map<String, String> groupBy = new LinkedHashMap<>();
            for (int g = random.nextInt(3); g > 0; g--) groupBy.put(text(random), text(random));
            List<byte[]> events = new ArrayList<>();
            for (int e = 1 + random.nextInt(3); e > 0; e--) {
                String record = random.nextInt(10) == 0 ? "{\n  \"a\": \"" + i + "\",\n  \"n\": 1.50\n}"
                        : "{\"i\":" + i + ",\"s\":" + MAPPER.writeValueAsString(text(random)) + "}";
                events.add(record.getBytes(StandardCharsets.UTF_8));
            }
            long first = randomMicros(random);
            Alert alert = new Alert(text(random), random.nextInt(5) == 0 ? null : text(random), text(random),
                    random.nextInt(5) == 0 ? null : "high", tags, text(random), groupBy, first,
                    first + random.nextInt(1_000_000_000), events);
            assertThat(new String(AlertJson.toJson(alert), StandardCharsets.UTF_8))
                    .isEqualTo(new String(jacksonReference(alert), StandardCharsets.UTF_8));
        }
    }

    @Test
    void timesAreThePatternsAtEveryYear() {
        Random random = new Random(3);
        long[] edges = {0, -1, 1, -1000, 999, Long.MIN_VALUE / 2, Long.MAX_VALUE / 2,
                micros("0999-12-31T23:59:59.999999Z"), micros("1000-01-01T00:00:00Z"),
                micros("9999-12-31T23:59:59.999999Z"), micros("+10000-01-01T00:00:00Z"), micros("1601-01-01T00:00:00Z")};
        for (long micros : edges) {
            assertThat(AlertJson.formatTime(micros)).as("%d", micros).isEqualTo(reference(micros));
        }
        for (int i = 0; i < 100_000; i++) {
            long micros = random.nextLong() >> random.nextInt(20);
            micros = Math.floorMod(micros, 400L * 365 * 86_400_000_000L * 30) - 200L * 365 * 86_400_000_000L * 30;
            assertThat(AlertJson.formatTime(micros)).as("%d", micros).isEqualTo(reference(micros));
        }
    }

    @Test
    void surrogatesAreEscapedAndReadBackAsTheyWere() throws IOException {
        String host = "h\uD800x\uDC00\uD83D\uDE00";
        Alert alert = new Alert("id", "name", "title", "low", List.of(), host, Map.of("k", "\uDBFF"), 0, 0,
                List.of("{}".getBytes(StandardCharsets.UTF_8)));
        JsonNode read = MAPPER.readTree(AlertJson.toJson(alert));
        assertThat(read.get("host").asText()).isEqualTo(host);
        assertThat(read.get("group_by").get("k").asText()).isEqualTo("\uDBFF");
    }

    @Test
    void oneLineIsFoundEightBytesAtATimeAndAtTheTail() {
        Random random = new Random(9);
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes = new byte[random.nextInt(40)];
            random.nextBytes(bytes);
            for (int j = 0; j < bytes.length; j++) {
                if (bytes[j] == '\n' || bytes[j] == '\r') bytes[j] = 'x';
            }
            if (bytes.length > 0 && random.nextBoolean()) {
                bytes[random.nextInt(bytes.length)] = (byte) (random.nextBoolean() ? '\n' : '\r');
            }
            boolean expected = true;
            for (byte b : bytes) expected &= b != '\n' && b != '\r';
            assertThat(AlertJson.isOneLine(bytes)).isEqualTo(expected);
        }
    }

    private static String text(Random random) {
        StringBuilder text = new StringBuilder();
        for (int n = random.nextInt(6); n > 0; n--) {
            text.append(random.nextInt(3) == 0 ? PIECES[random.nextInt(PIECES.length)] : "abc-" + random.nextInt(100));
        }
        return text.toString();
    }

    private static long randomMicros(Random random) {
        return micros("2020-01-01T00:00:00Z") + (long) (random.nextDouble() * 200L * 365 * 86_400_000_000L)
                - 100L * 365 * 86_400_000_000L;
    }

    private static long micros(String instant) {
        Instant time = Instant.parse(instant);
        return time.getEpochSecond() * 1_000_000L + time.getNano() / 1000;
    }

    private static String reference(long micros) {
        return TIME.format(Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L));
    }

    /** How alerts were written before: every field through Jackson's generator, then the evidence. */
    private static byte[] jacksonReference(Alert alert) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator json = MAPPER.getFactory().createGenerator(out)
                .disable(JsonGenerator.Feature.AUTO_CLOSE_JSON_CONTENT)) {
            json.writeStartObject();
            json.writeStringField("rule_id", alert.ruleId());
            json.writeStringField("rule_name", alert.ruleName());
            json.writeStringField("rule_title", alert.ruleTitle());
            json.writeStringField("level", alert.level());
            json.writeArrayFieldStart("tags");
            for (String tag : alert.tags()) json.writeString(tag);
            json.writeEndArray();
            json.writeStringField("host", alert.host());
            json.writeObjectFieldStart("group_by");
            for (Map.Entry<String, String> entry : alert.groupBy().entrySet()) {
                json.writeStringField(entry.getKey(), entry.getValue());
            }
            json.writeEndObject();
            json.writeStringField("first_event_time", reference(alert.firstEventMicros()));
            json.writeStringField("last_event_time", reference(alert.lastEventMicros()));
        }
        out.writeBytes(",\"events\":[".getBytes(StandardCharsets.US_ASCII));
        boolean first = true;
        for (byte[] event : alert.eventsUtf8()) {
            if (!first) out.write(',');
            first = false;
            String text = new String(event, StandardCharsets.UTF_8);
            out.writeBytes(text.contains("\n") ? MAPPER.writeValueAsBytes(MAPPER.readTree(event)) : event);
        }
        out.write(']');
        out.write('}');
        return out.toByteArray();
    }
}
