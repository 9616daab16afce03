package dev.sigmacep.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever the input, the decoder returns exactly one of an event or a dead letter with a short reason, and the same
 * one as the tree-based reference decoder.
 */
class HostileInputTest {
    private static final List<String> SEEDS = List.of(
            "sysmon-flat-eid1.json", "sysmon-flat-eid3.json", "sysmon-flat-4688-nxlog2019.json",
            "sysmon-flat-4688-no-cmdline.json", "evtx-dump-eid1.json", "evtx-dump-system-7036.json",
            "winlogbeat-eid1.json", "sentinel-eid3.json", "ecs-netconn.json", "ecs-process-start-no-code.json",
            "ecs-winlogbeat8-sysmon22.json");
    private static final List<String> REASON_PREFIXES = List.of("not JSON: ", "not a JSON object",
            "unrecognised record shape", "no event time", "unparseable event time '", "no host", "field ",
            "record too large (", "nesting too deep", "exceeds parser limits: ", "event data is neither a JSON object nor event XML");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SameAsTreeDecoder decoder = new SameAsTreeDecoder(64 * 1024);
    private final Random random = new Random(20240312);
    private int events;
    private int deadLetters;

    private void check(String raw) {
        DecodeResult result = decoder.decode(raw);
        assertThat(result).isNotNull();
        assertThat(result.event() == null).as("exactly one of event and dead letter").isNotEqualTo(result.deadLetter() == null);
        if (result.deadLetter() != null) {
            deadLetters++;
            String reason = result.deadLetter().reason();
            assertThat(reason).as(raw.length() > 200 ? raw.substring(0, 200) : raw).isNotBlank().hasSizeLessThan(260);
            assertThat(REASON_PREFIXES).anyMatch(reason::startsWith);
            assertThat(result.deadLetter().raw()).isEqualTo(raw);
        } else {
            events++;
            Event event = result.event();
            assertThat(event.host()).isNotBlank();
            assertThat(event.fields().get("Computer")).isEqualTo(event.host());
            Object eventId = event.field("EventID");
            assertThat(eventId == null || eventId instanceof Integer).isTrue();
            for (Object value : event.values()) assertThat(value).isInstanceOfAny(String.class, Integer.class);
        }
    }

    @Test
    void randomBytes() {
        for (int i = 0; i < 5_000; i++) {
            byte[] bytes = new byte[random.nextInt(300)];
            random.nextBytes(bytes);
            check(new String(bytes, i % 2 == 0 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1));
        }
        assertThat(events).isZero();
    }

    @Test
    void randomJsonishText() {
        String alphabet = "{}[]\":,\\ 0123456789.-eEtruefalsnul\n\tEventIDHostname";
        for (int i = 0; i < 10_000; i++) {
            StringBuilder sb = new StringBuilder("{");
            int len = random.nextInt(120);
            for (int j = 0; j < len; j++) sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
            check(sb.toString());
        }
    }

    @Test
    void randomEventDataXml() throws IOException {
        String[] pieces = {"<Data", " Name=\"", "Image", "UtcTime", "\"", "'", ">", "</Data>", "/>", "&", "#x", "#", "41", ";",
                "amp", "lt", "<DataItem>", " ", "2024-03-12 09:00:00", "\u00e9"};
        for (int i = 0; i < 5_000; i++) {
            StringBuilder xml = new StringBuilder("<");
            int len = random.nextInt(30);
            for (int j = 0; j < len; j++) xml.append(pieces[random.nextInt(pieces.length)]);
            ObjectNode record = JsonNodeFactory.instance.objectNode().put("Computer", "c").put("EventID", 1)
                    .put("TimeGenerated", "2024-03-12T09:00:00Z").put("EventData", xml.toString());
            check(JSON.writeValueAsString(record));
        }
        assertThat(events).isPositive();
    }

    @Test
    void characterMutationsOfRealRecords() {
        for (String seed : SEEDS) {
            String record = EventDecoderTest.record(seed);
            String specials = "{}[]\":,\\\u0000\uD800x9 ";
            for (int i = 0; i < 1_000; i++) {
                StringBuilder sb = new StringBuilder(record);
                int edits = 1 + random.nextInt(4);
                for (int e = 0; e < edits && sb.length() > 0; e++) {
                    int at = random.nextInt(sb.length());
                    switch (random.nextInt(4)) {
                        case 0 -> sb.deleteCharAt(at);
                        case 1 -> sb.insert(at, specials.charAt(random.nextInt(specials.length())));
                        case 2 -> sb.setCharAt(at, specials.charAt(random.nextInt(specials.length())));
                        default -> sb.setLength(at); // truncation
                    }
                }
                check(sb.toString());
            }
        }
        assertThat(events).isPositive();
        assertThat(deadLetters).isPositive();
    }

    /** Every member of every seed record (at any depth) replaced by each value of the wrong type. */
    @Test
    void wrongTypesEverywhere() throws IOException {
        JsonNodeFactory f = JsonNodeFactory.instance;
        List<JsonNode> replacements = List.of(f.objectNode().put("a", 1), f.arrayNode().add(1).add("x"), f.numberNode(42),
                f.numberNode(-1.5e300), f.nullNode(), f.booleanNode(true), f.textNode(""), f.textNode("x".repeat(10_000)),
                f.textNode("2024-03-12 09:00:00"), f.textNode("0x1g"), f.textNode("\u0000\uFFFF"));
        for (String seed : SEEDS) {
            JsonNode root = JSON.readTree(EventDecoderTest.record(seed));
            List<List<String>> paths = new ArrayList<>();
            collectPaths(root, new ArrayList<>(), paths);
            for (List<String> path : paths) {
                for (JsonNode replacement : replacements) {
                    JsonNode copy = root.deepCopy();
                    ObjectNode parent = (ObjectNode) copy;
                    for (String key : path.subList(0, path.size() - 1)) parent = (ObjectNode) parent.get(key);
                    parent.set(path.get(path.size() - 1), replacement);
                    check(copy.toString());
                }
            }
        }
        assertThat(events).isPositive();
        assertThat(deadLetters).isPositive();
    }

    private static void collectPaths(JsonNode node, List<String> prefix, List<List<String>> out) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            List<String> path = new ArrayList<>(prefix);
            path.add(name);
            out.add(path);
            JsonNode child = node.get(name);
            if (child.isObject()) collectPaths(child, path, out);
        }
    }

    @Test
    void specificWrongTypes() {
        check("{\"EventID\":{\"a\":1},\"Hostname\":\"H\",\"UtcTime\":\"2024-03-12 09:00:00\"}");
        check("{\"EventID\":1,\"Computer\":42,\"UtcTime\":\"2024-03-12 09:00:00\"}");
        check("{\"EventID\":1e400,\"Hostname\":\"H\",\"UtcTime\":\"2024-03-12 09:00:00\"}");
        check("{\"EventID\":99999999999999999999,\"Hostname\":\"H\",\"UtcTime\":\"2024-03-12 09:00:00\"}");
        check("{\"Event\":\"System\"}");
        check("{\"Event\":{\"System\":[]}}");
        check("{\"@timestamp\":[],\"host\":{\"name\":\"h\"}}");
        check("{\"@timestamp\":1e300,\"host\":{\"name\":\"h\"}}");
        check("{\"@timestamp\":\"2024-03-12T09:00:00Z\",\"host\":{\"name\":\"h\"},\"event\":{\"category\":{\"a\":[]}}}");
        check("{\"EventData\":\"{\\\"UtcTime\\\":{}}\",\"Computer\":\"c\",\"EventID\":1}");
        check("{\"EventData\":\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\",\"Computer\":\"c\"}");
        check("{\"EventData\":\"" + "[".repeat(100) + "\",\"Computer\":\"c\",\"EventID\":1}");
        assertThat(deadLetters + events).isEqualTo(12);
    }

    @Test
    void deepNestingHugeStringsAndOddTopLevels() {
        check("[".repeat(100_000));
        check("{\"a\":".repeat(50_000));
        check("{\"a\":" + "{\"b\":".repeat(1_000) + "1" + "}".repeat(1_001));
        check("\"" + "x".repeat(100_000) + "\"");
        check("{\"EventID\":1,\"Hostname\":\"" + "h".repeat(60_000) + "\",\"UtcTime\":\"2024-03-12 09:00:00\"}");
        check("1".repeat(10_000));
        check("{\"n\":" + "9".repeat(10_000) + "}");
        check("{\"" + "k".repeat(10_000) + "\":1}");
        for (String raw : List.of("", " ", "null", "true", "0", "-1", "[]", "{}", "[{}]", "\u0000", "\uFEFF{}", "{}{}", "{\"a\":1}}")) {
            check(raw);
        }
        assertThat(decoder.decode("[".repeat(60_000)).deadLetter().reason()).isEqualTo("nesting too deep");
    }

    @Test
    void splitterPlusDecoderOnRandomStreamsAccountForEveryRecord() throws IOException {
        EventDecoder streaming = new EventDecoder(64 * 1024);
        String alphabet = "{}[]\":,\\ \nRecord 12ab";
        for (int i = 0; i < 500; i++) {
            StringBuilder sb = new StringBuilder();
            int len = random.nextInt(2_000);
            for (int j = 0; j < len; j++) sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
            JsonRecordSplitter splitter = new JsonRecordSplitter(new java.io.ByteArrayInputStream(sb.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)), 100);
            int records = 0;
            for (DecodeResult r = streaming.decodeNext(splitter); r != null; r = streaming.decodeNext(splitter)) {
                assertThat(r.event() == null).isNotEqualTo(r.deadLetter() == null);
                assertThat(++records).isLessThanOrEqualTo(len);
            }
        }
    }
}
