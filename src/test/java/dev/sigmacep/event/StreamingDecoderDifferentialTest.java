package dev.sigmacep.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sigmacep.job.TelemetryStreams;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The streaming {@link EventDecoder} gives exactly what the tree-based reference decoder gives (same event fields,
 * values and types, host, time and format; same dead-letter reasons), on real telemetry, on the samples and on
 * generated malformed records. {@link HostileInputTest} and {@link EventDecoderTest} compare their inputs too.
 */
class StreamingDecoderDifferentialTest {
    private static final String DATASETS = "data/telemetry/security-datasets/";
    private static final String CAMPAIGNS = DATASETS + "archives/datasets/compound/";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> SEEDS = List.of(
            "sysmon-flat-eid1.json", "sysmon-flat-eid3.json", "sysmon-flat-4688-nxlog2019.json",
            "sysmon-flat-4688-no-cmdline.json", "evtx-dump-eid1.json", "evtx-dump-system-7036.json",
            "winlogbeat-eid1.json", "sentinel-eid3.json", "ecs-netconn.json", "ecs-process-start-no-code.json",
            "ecs-winlogbeat8-sysmon22.json", "asim-process-create.json", "asim-network-session.json");

    private final SameAsTreeDecoder decoder = new SameAsTreeDecoder();
    private final Random random = new Random(20260301);
    private int events;
    private int deadLetters;

    private void check(String raw) {
        DecodeResult result = decoder.decode(raw);
        if (result.event() != null) events++;
        else deadLetters++;
    }

    // --- real telemetry and samples ---

    @Test
    void securityDatasetsExtractsAndOneCampaign() {
        List<Path> files = new ArrayList<>(files(shared(DATASETS + "sysmon_eid1_eid3_only"), ".jsonl"));
        files.addAll(files(shared(DATASETS + "wer_related"), ".jsonl"));
        files.addAll(files(shared(DATASETS + "full"), ".json.gz"));
        files.add(shared(CAMPAIGNS + "LSASS_campaign_05/metasploit_sharpdump_lsass_memory_dump.zip"));
        compareEveryRecord(files, 70_000);
    }

    @Test
    @Tag("slow")
    void allOfTheSecurityDatasetsSnapshot() {
        compareEveryRecord(files(shared(DATASETS), ".jsonl", ".json.gz", ".zip"), 360_000);
    }

    @Test
    void samples() throws IOException {
        for (Path file : files(Path.of("samples/wer-chain"), ".json", ".ndjson")) {
            try (InputStream in = Files.newInputStream(file)) {
                eachRecord(in, this::check);
            }
        }
        assertThat(events).isEqualTo(99);
        assertThat(deadLetters).isEqualTo(2);
    }

    private void compareEveryRecord(List<Path> files, int minimumRecords) {
        for (Path file : files) {
            try { // framed as a replay frames it; each record's text, as read, goes to both decoders
                TelemetryStreams.decode(file, EventDecoder.DEFAULT_MAX_RECORD_CHARS, result ->
                        check(result.event() != null ? result.event().raw() : result.deadLetter().raw()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        System.out.printf("%d files: %d events, %d dead letters, the same from both decoders%n",
                files.size(), events, deadLetters);
        assertThat(events + deadLetters).isGreaterThanOrEqualTo(minimumRecords);
    }

    private static void eachRecord(InputStream in, Consumer<String> each) throws IOException {
        JsonRecordSplitter splitter = new JsonRecordSplitter(in, EventDecoder.DEFAULT_MAX_RECORD_CHARS);
        while (splitter.next()) {
            each.accept(new String(splitter.bytes(), 0, splitter.length(), StandardCharsets.UTF_8));
        }
    }

    private static Path shared(String relative) {
        Path path = Path.of(System.getProperty("sigmacep.shared", "../shared")).resolve(relative);
        assumeTrue(Files.exists(path), "../shared not found: " + path.toAbsolutePath());
        return path;
    }

    private static List<Path> files(Path folder, String... suffixes) {
        try (Stream<Path> paths = Files.walk(folder)) {
            return paths.filter(p -> Stream.of(suffixes).anyMatch(s -> p.getFileName().toString().endsWith(s)))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // --- generated malformed records ---

    @Test
    void prefixesAndCharacterDeletionsOfTheSeeds() {
        prefixesAndDeletions(0.2);
    }

    @Test
    @Tag("slow")
    void everyPrefixAndEveryCharacterDeletion() {
        prefixesAndDeletions(1);
    }

    /** Truncated records, and records missing one character; {@code share} of them (the others skipped at random). */
    private void prefixesAndDeletions(double share) {
        for (String seed : SEEDS) {
            String record = EventDecoderTest.record(seed);
            for (int at = 0; at <= record.length(); at++) {
                if (random.nextDouble() < share) check(record.substring(0, at));
                if (at < record.length() && random.nextDouble() < share) check(record.substring(0, at) + record.substring(at + 1));
            }
        }
        assertThat(events).isPositive();
        assertThat(deadLetters).isPositive();
    }

    @Test
    void aSyntaxCharacterInsertedOrReplaced() {
        syntaxCharacters(0.1);
    }

    @Test
    @Tag("slow")
    void aSyntaxCharacterInsertedOrReplacedAnywhere() {
        syntaxCharacters(1);
    }

    /**
     * JSON's syntax characters where they do not belong, in {@code share} of the places (the others skipped at
     * random): the parser words its errors differently from place to place, and the reasons must stay the same.
     */
    private void syntaxCharacters(double share) {
        String syntax = "{}[]:,\"\\";
        for (String seed : SEEDS) {
            String record = EventDecoderTest.record(seed);
            for (int at = 0; at < record.length(); at++) {
                for (int i = 0; i < syntax.length(); i++) {
                    char c = syntax.charAt(i);
                    if (random.nextDouble() < share) check(record.substring(0, at) + c + record.substring(at));
                    if (random.nextDouble() < share) check(record.substring(0, at) + c + record.substring(at + 1));
                }
            }
        }
        assertThat(events).isPositive();
        assertThat(deadLetters).isPositive();
    }

    /** Each member of each seed (at any depth) replaced by an odd value, then repeated before and after it. */
    @Test
    void oddValuesAndDuplicateKeysAtEveryMember() throws IOException {
        List<String> odd = List.of("-0", "0", "-1", "1.0", "1e2", "-1.5E300", "1E400", "99999999999999999999",
                "1710237243.118", "1710237243118", "true", "false", "null", "\"\"", "\" 4688 \"", "\"0x454\"",
                "\"2024-03-12T09:00:00+01:00\"", "\"security\"", "\"PROCESS\"", "[]", "[null]", "[\"process\",1]",
                "[[\"start\"]]", "{}", "{\"a\":{\"b\":[1,{\"c\":null}]}}", "{\"#text\":\"7\"}",
                "{\"UtcTime\":\"2024-03-12 09:00:00\",\"a\":1,\"a\":{\"x\":\"é\\n\"}}", "\"<Data Name='UtcTime'>x</Data>\"",
                "\"{\\\"UtcTime\\\":\\\"2024-03-12 09:00:00\\\",\\\"Image\\\":5}\"", "[".repeat(60) + "]".repeat(60));
        for (String seed : SEEDS) {
            Json.Obj root = Json.of(JSON.readTree(EventDecoderTest.record(seed)));
            for (Json.Member member : root.allMembers()) {
                for (String value : odd) {
                    Object original = member.value();
                    member.set(new Json.Raw(value));
                    check(root.toString());
                    member.set(original);
                    check(root.withDuplicate(member, new Json.Raw(value), true));
                    check(root.withDuplicate(member, new Json.Raw(value), false));
                }
            }
        }
        assertThat(events).isPositive();
        assertThat(deadLetters).isPositive();
    }

    /** Objects flattened into dotted member names ({@code "host.name"}), alone or beside the nested spelling. */
    @Test
    void flattenedMemberNames() throws IOException {
        for (String seed : SEEDS) {
            Json.Obj root = Json.of(JSON.readTree(EventDecoderTest.record(seed)));
            check(root.flattenedEverywhere());
            for (Json.Member member : root.allMembers()) {
                if (!(member.value() instanceof Json.Obj object)) continue;
                check(root.withFlattened(member, object, false));
                check(root.withFlattened(member, object, true));
            }
        }
        assertThat(events).isPositive();
    }

    @Test
    void nestingAroundTheLimitAnywhere() throws IOException {
        for (String seed : SEEDS) {
            Json.Obj root = Json.of(JSON.readTree(EventDecoderTest.record(seed)));
            for (Json.Member member : root.allMembers()) {
                Object original = member.value();
                for (int depth : new int[] {61, 62, 63, 64, 65}) {
                    int inner = depth - member.depth();
                    if (inner < 1) continue;
                    member.set(new Json.Raw("[".repeat(inner) + "]".repeat(inner)));
                    check(root.toString());
                    member.set(new Json.Raw("{\"a\":".repeat(inner) + "1" + "}".repeat(inner)));
                    check(root.toString());
                }
                member.set(original);
            }
        }
        for (int depth = 60; depth <= 66; depth++) {
            check("{\"EventID\":1,\"Hostname\":\"H\",\"UtcTime\":\"2024-03-12 09:00:00\",\"x\":" + "[".repeat(depth)
                    + "]".repeat(depth) + "}");
            check(sentinel(JSON.writeValueAsString("[".repeat(depth) + "]".repeat(depth))));
            check(sentinel(JSON.writeValueAsString("{\"UtcTime\":" + "[".repeat(depth) + "]".repeat(depth) + "}")));
            check("[".repeat(depth) + "]".repeat(depth));
            check("{\"a\":" + "[".repeat(depth));
        }
        assertThat(deadLetters).isPositive();
    }

    @Test
    void limitsOnRecordNameNumberAndStringLengths() {
        SameAsTreeDecoder small = new SameAsTreeDecoder(4096);
        String head = "{\"EventID\":1,\"Hostname\":\"H\",\"UtcTime\":\"2024-03-12 09:00:00\",";
        for (int length = 4000; length <= 4100; length += 4) {
            int pad = length - head.length() - "\"x\":\"\"}".length();
            small.decode(head + "\"x\":\"" + "y".repeat(Math.max(0, pad)) + "\"}");
            small.decode(head + "\"Message\":\"" + "\\u0041".repeat(Math.max(0, pad / 6)) + "\"}");
        }
        for (int length : new int[] {4095, 4096, 4097, 10_000}) {
            String name = "k".repeat(length);
            check(head + "\"" + name + "\":1}");
            check(head + "\"Message\":{\"" + name + "\":1}}");
            check("{\"" + name + "\":1," + head.substring(1) + "\"z\":1}");
        }
        for (int digits : new int[] {63, 64, 65, 1000}) {
            String number = "9".repeat(digits);
            check(head + "\"Task\":" + number + "}");
            check(head + "\"Message\":" + number + "}");
            check(head + "\"Message\":[" + number + "]}");
            check(head + "\"Task\":1." + number + "}");
            check(head + "\"Task\":-" + number + "e5}");
            check(sentinel(JSON.valueToTree("{\"Image\":" + number + "}").toString()));
        }
        assertThat(small.compared()).isPositive();
    }

    @Test
    void oddTopLevelsAndTrailingTokens() {
        String ok = "{\"EventID\":1,\"Hostname\":\"H\",\"UtcTime\":\"2024-03-12 09:00:00\"}";
        for (String tail : List.of("", " ", "\n", "x", "{}", "[]", "1", "\"s\"", "null", "}", "]", ",", ":", "/* c */",
                "// c", "{", "[", "\"", "\"unterminated", "1e", "-", "tru", "\u0000", "\uFEFF")) {
            check(ok + tail);
            check(ok + " " + tail);
            check(tail);
            check(tail + ok);
            check("[" + ok + "]" + tail);
            check("null" + tail);
            check("\"s\"" + tail);
            check("12" + tail);
        }
        check(null);
    }

    @Test
    void sentinelEventDataText() throws IOException {
        List<String> texts = List.of("", " ", "{}", "[]", "1", "null", "\"x\"", "{} x", "{}{}", "{\"a\":1} [",
                "{\"UtcTime\":\"2022-05-13 08:54:05.123\",\"Image\":\"x\"}",
                "{\"UtcTime\":5,\"Image\":null,\"Image\":\"y\",\"a\":{\"b\":1},\"n\":-0,\"f\":1.50}",
                "{\"UtcTime\":{\"x\":[1,2,{\"y\":\"é\"}]},\"Image\":\"x\"}",
                "{\"UtcTime\":[\"2022-05-13 08:54:05\"]}",
                "{\"UtcTime\":\"2022-05-13 08:54:05\",\"UtcTime\":null}",
                "{\"Image\":\"a\",\"Image\":{\"b\":1}}", "{\"a\":\"b\" ", "{'a':1}", "{\"a\":\"\\x\"}",
                "<DataItem><EventData><Data Name=\"UtcTime\">2022-05-13 08:54:05.123</Data><Data Name=\"Image\">x</Data>"
                        + "<Data Name=\"Image\">y</Data><Data Name='UtcTime'>2022-05-13 09:00:00</Data></EventData></DataItem>",
                "<Data Name=\"a.b\">1</Data><Data>no name</Data><Data Name=\"UtcTime\"/>", "<x/>", "  <Data Name=\"Image\">c</Data>  ",
                "Image=C:\\x.exe");
        for (String text : texts) {
            check(sentinel(JSON.writeValueAsString(text)));
            check(sentinel(JSON.writeValueAsString(text)).replace("\"TimeGenerated\"", "\"EventData.UtcTime\":\"2020-01-01 00:00:00\",\"T\""));
            check(sentinel(JSON.writeValueAsString(text)).replace("\"TimeGenerated\":\"2022-05-13T08:54:06.347Z\",", ""));
            check(sentinel(JSON.writeValueAsString(text)) .replace("{\"Computer\"", "{\"EventData\":{\"Image\":\"first\"},\"Computer\""));
        }
        check(sentinel("{\"UtcTime\":\"2022-05-13 08:54:05\"}"));
        check(sentinel("7"));
        check(sentinel("null"));
        check(sentinel("[\"x\"]"));
        assertThat(events).isPositive();
        assertThat(deadLetters).isPositive();
    }

    private static String sentinel(String eventDataJson) {
        return "{\"Computer\":\"W1\",\"EventID\":1,\"TimeGenerated\":\"2022-05-13T08:54:06.347Z\",\"EventData\":"
                + eventDataJson + "}";
    }

    /** Random records made of the names the mapping file reads, with random values, nesting and repeated names. */
    @Test
    void randomRecordsOfTheMappingVocabulary() {
        for (int i = 0; i < 30_000; i++) {
            check(randomObject(0).toString());
        }
        assertThat(events).isGreaterThan(1_000);
        assertThat(deadLetters).isGreaterThan(1_000);
    }

    private static final String[] NAMES = {"EventID", "Hostname", "Computer", "UtcTime", "TimeCreated", "@timestamp",
            "EventTime", "Channel", "SourceName", "ProviderName", "Message", "Image", "CommandLine", "NewProcessName",
            "NewProcessId", "ProcessId", "MandatoryLabel", "SubjectUserName", "SubjectDomainName", "Event", "System",
            "EventData", "Provider", "#attributes", "Name", "#text", "Value", "TimeCreated_attributes", "SystemTime",
            "event_id", "computer_name", "event_data", "log_name", "source_name", "host", "name", "hostname", "winlog",
            "event_data", "computer_name", "channel", "provider_name", "event", "code", "category", "type", "created",
            "process", "executable", "parent", "pid", "dns", "question", "destination", "ip", "network", "direction",
            "user", "domain", "host.name", "winlog.event_data", "event.code", "process.executable", "Event.System",
            "EventData.UtcTime", "dns.question.name", "process.parent", "EventLog", "Source", "TimeGenerated",
            "UserData", "Operation_ClientFailure", "user_data", "winlog.user_data", "xml_name", "Operation",
            "EventSchema", "EventProduct", "EventType", "EventStartTime", "DvcFQDN", "DvcHostname", "Dvc",
            "TargetProcessName", "TargetProcessGuid", "TargetProcessCommandLine", "SrcProcessName", "DstProcessName",
            "SrcProcessGuid", "DstIpAddr", "NetworkDirection", "NetworkProtocol"};
    private static final String[] SCALARS = {"1", "4688", "-0", "1.5", "1E400", "99999999999999999999", "true", "null",
            "\"\"", "\"H\"", "\"Security\"", "\"process\"", "\"start\"", "\"network\"", "\"outbound\"", "\"0x454\"",
            "\"S-1-16-12288\"", "\"2024-03-12 09:00:00\"", "\"2024-03-12T09:00:00.123Z\"", "1710237243.118",
            "\"C:\\\\Windows\\\\cmd.exe /c x\"", "\"{\\\"UtcTime\\\":\\\"2024-03-12 09:00:00\\\"}\"",
            "\"<Data Name=\\\"Image\\\">x</Data>\"", "\"ProcessEvent\"", "\"NetworkSession\"", "\"ProcessCreated\"",
            "\"EndpointNetworkSession\"", "\"Outbound\"", "\"TCP\"", "\"3e91c0d7-0c2b-65f0-02d1-000000000e00\""};

    /** Members that make a record of some format, so that random members around them reach the mapping. */
    private static final String[][] SKELETONS = {
            {"EventID", "4688", "Hostname", "\"H\"", "UtcTime", "\"2024-03-12 09:00:00\"", "Channel", "\"security\""},
            {"Event", "{\"System\":{\"EventID\":{\"#text\":\"1\"},\"Computer\":\"C\",\"TimeCreated\":"
                    + "{\"#attributes\":{\"SystemTime\":\"2024-03-12T09:00:00Z\"}}},\"EventData\":{\"Image\":\"x\"}}"},
            {"event_id", "1", "computer_name", "\"C\"", "@timestamp", "\"2024-03-12T09:00:00Z\"", "event_data", "{\"A\":1}"},
            {"Computer", "\"C\"", "EventID", "1", "TimeGenerated", "\"2024-03-12T09:00:00Z\"",
                    "EventData", "\"{\\\"UtcTime\\\":\\\"2024-03-12 08:00:00\\\"}\""},
            {"@timestamp", "\"2024-03-12T09:00:00Z\"", "host", "{\"name\":\"h\"}", "event",
                    "{\"category\":[\"process\"],\"type\":\"start\"}", "process", "{\"executable\":\"x\",\"pid\":5}"},
            {"@timestamp", "1710237243.118", "winlog.computer_name", "\"w\"", "dns.question.name", "\"q\""},
            {"EventSchema", "\"ProcessEvent\"", "EventType", "\"ProcessCreated\"", "DvcHostname", "\"d\"",
                    "EventStartTime", "\"\"", "TimeGenerated", "\"2024-03-12T09:00:00Z\""},
            {"EventProduct", "\"Sysmon\"", "DstIpAddr", "\"1.2.3.4\"", "EventType", "\"EndpointNetworkSession\"",
                    "DvcFQDN", "\"\"", "Dvc", "\"d\"", "EventStartTime", "\"2024-03-12T09:00:00Z\""}};

    private Json.Obj randomObject(int depth) {
        Json.Obj object = new Json.Obj();
        int members = random.nextInt(depth == 0 ? 8 : 5);
        String[] skeleton = depth == 0 && random.nextInt(4) > 0 ? SKELETONS[random.nextInt(SKELETONS.length)] : new String[0];
        int at = 0;
        for (int i = 0; i < members || at < skeleton.length; i++) {
            if (at < skeleton.length && (i >= members || random.nextBoolean())) {
                object.put(skeleton[at], new Json.Raw(skeleton[at + 1]));
                at += 2;
            } else {
                object.put(NAMES[random.nextInt(NAMES.length)], randomValue(depth + 1));
            }
        }
        return object;
    }

    private Object randomValue(int depth) {
        int kind = random.nextInt(10);
        if (depth < 5 && kind < 3) return randomObject(depth);
        if (kind == 3) {
            List<Object> array = new ArrayList<>();
            for (int i = random.nextInt(3); i > 0; i--) array.add(randomValue(depth + 1));
            return array;
        }
        return new Json.Raw(SCALARS[random.nextInt(SCALARS.length)]);
    }

    /** JSON written by hand, so that it can hold what a tree cannot: repeated names and exact number spellings. */
    static final class Json {
        record Raw(String json) {
            @Override
            public String toString() {
                return json;
            }
        }

        static final class Member {
            private final Obj parent;
            private final String name;
            private Object value;

            Member(Obj parent, String name, Object value) {
                this.parent = parent;
                this.name = name;
                this.value = value;
            }

            Object value() {
                return value;
            }

            void set(Object value) {
                this.value = value;
            }

            /** How many objects enclose this member's value. */
            int depth() {
                return 1 + (parent.owner == null ? 0 : parent.owner.depth());
            }
        }

        static final class Obj {
            final List<Member> members = new ArrayList<>();
            /** The member whose value this object is; null for the record. */
            private Member owner;

            Obj put(String name, Object value) {
                Member member = new Member(this, name, value);
                members.add(member);
                if (value instanceof Obj child) child.owner = member;
                return this;
            }

            /** Every member at any depth (not inside arrays). */
            List<Member> allMembers() {
                List<Member> all = new ArrayList<>();
                for (Member member : members) {
                    all.add(member);
                    if (member.value instanceof Obj child) all.addAll(child.allMembers());
                }
                return all;
            }

            /** This record written with {@code member} repeated, the copy holding {@code value}. */
            String withDuplicate(Member member, Object value, boolean copyFirst) {
                Member copy = new Member(member.parent, member.name, value);
                List<Member> siblings = member.parent.members;
                int at = siblings.indexOf(member);
                siblings.add(copyFirst ? at : at + 1, copy);
                String text = toString();
                siblings.remove(copy);
                return text;
            }

            /** This record written with the members of {@code member}'s object moved (or copied) up as dotted names. */
            String withFlattened(Member member, Obj object, boolean keepNested) {
                List<Member> siblings = member.parent.members;
                List<Member> saved = new ArrayList<>(siblings);
                int at = siblings.indexOf(member);
                if (!keepNested) siblings.remove(at);
                else at++;
                for (Member inner : object.members) {
                    siblings.add(at++, new Member(member.parent, member.name + "." + inner.name, inner.value));
                }
                String text = toString();
                siblings.clear();
                siblings.addAll(saved);
                return text;
            }

            /** Every object member written as dotted names, at every level. */
            String flattenedEverywhere() {
                StringBuilder sb = new StringBuilder("{");
                flattenInto(sb, "");
                return sb.append('}').toString();
            }

            private void flattenInto(StringBuilder sb, String prefix) {
                for (Member m : members) {
                    if (m.value instanceof Obj child) {
                        child.flattenInto(sb, prefix + m.name + ".");
                    } else {
                        if (sb.length() > 1) sb.append(',');
                        sb.append(quote(prefix + m.name)).append(':').append(write(m.value));
                    }
                }
            }

            @Override
            public String toString() {
                StringBuilder sb = new StringBuilder("{");
                for (Member m : members) {
                    if (sb.length() > 1) sb.append(',');
                    sb.append(quote(m.name)).append(':').append(write(m.value));
                }
                return sb.append('}').toString();
            }
        }

        static Obj of(JsonNode node) {
            Obj object = new Obj();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                object.put(e.getKey(), value(e.getValue()));
            }
            return object;
        }

        private static Object value(JsonNode node) {
            if (node.isObject()) return of(node);
            if (node.isArray()) {
                List<Object> array = new ArrayList<>();
                node.forEach(element -> array.add(value(element)));
                return array;
            }
            return new Raw(node.toString());
        }

        private static String write(Object value) {
            if (value instanceof List<?> list) {
                StringBuilder sb = new StringBuilder("[");
                for (Object element : list) {
                    if (sb.length() > 1) sb.append(',');
                    sb.append(write(element));
                }
                return sb.append(']').toString();
            }
            return value.toString();
        }

        private static final Map<String, String> QUOTED = new java.util.concurrent.ConcurrentHashMap<>();

        private static String quote(String name) {
            return QUOTED.computeIfAbsent(name, n -> {
                try {
                    return JSON.writeValueAsString(n);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
