package dev.sigmacep.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;
import java.util.regex.Matcher;

/**
 * Seeded generator of malformed and hostile JSON Lines records, mixed into real telemetry lines: the same seed and
 * lines give the same bytes. Each hostile record has a {@link Kind}, which says whether it must be dead-lettered
 * (and with which reason) or may decode; the tests count outcomes per kind.
 *
 * <p>Records that decode (valid JSON with odd values) carry hosts of their own ({@code hostile-<n>} or a number), so
 * that whatever they do cannot mix with the alerts of the real hosts.
 */
public final class HostileRecords {
    /** What the decoder must do with a record of the kind: a dead letter whose reason starts so, or decode (null). */
    public enum Kind {
        TRUNCATED("not JSON: "),
        NOT_JSON("not JSON: "),
        INVALID_UTF8("not JSON: Invalid UTF-8 "),
        NUL_BYTE("not JSON: Illegal "),
        DEEP_NESTING("nesting too deep"),
        HUGE_STRING("record too large ("),
        NOT_AN_OBJECT("not a JSON object"),
        OBJECT_FOR_EVENT_ID("field EventID has wrong type ("),
        TEXT_FOR_EVENT_ID("field EventID is not an integer '"),
        EMPTY_HOST("no host"),
        UNPARSEABLE_TIME("unparseable event time '"),
        ABSURD_TIME(null),
        NUMBERS_FOR_STRINGS(null),
        STRING_FOR_EVENT_ID(null),
        DUPLICATE_KEYS(null),
        LOOKALIKE_PATH(null);

        public final String reasonPrefix;

        Kind(String reasonPrefix) {
            this.reasonPrefix = reasonPrefix;
        }

        public boolean decodes() {
            return reasonPrefix == null;
        }
    }

    /** One line of the mixed file: a real record (kind null) or a hostile one; the line's bytes are not kept. */
    public record Line(Kind kind, String exactReason) {
    }

    public static final String WERMGR = "C:\\Windows\\System32\\wermgr.exe";
    /** Look-alikes of wermgr.exe's path: Cyrillic e, fullwidth backslash, Greek omicron for o... */
    static final List<String> LOOKALIKES = List.of(
            "C:\\Windows\\System32\\w\u0435rmgr.exe", "C:\\Windows\\System32\uFF3Cwermgr.exe",
            "C:\\Windows\\Syst\u0435m32\\wermgr.exe", "C:\\Windows\\System32\\werm\u0261r.exe",
            "C:\\Windows\\System32\\wermgr\u200B.exe", "C:\\Windows\\System32\\WERMGR.\u0435xe");
    private static final List<String> NOT_JSON = List.of(
            "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><EventID>1</EventID></System></Event>",
            "Mar 12 10:00:00 WKS-01 Microsoft-Windows-Sysmon[4]: Process Create: Image=C:\\Windows\\notepad.exe",
            "EventID,Hostname,Image,CommandLine", "Record 12", "garbage", "undefined", "NaN", "'single quoted'",
            "{'EventID': 1}", "{EventID: 1}", "ÿþ{ \"bom\": \"utf-16\" }");
    private static final List<String> NOT_AN_OBJECT = List.of("42", "-1.5e300", "\"a string\"", "null", "true", "[]",
            "[1,2,3]");

    private final Random random;
    private final List<String> real;
    private final int maxRecordBytes;
    private int hostiles;
    private int duplicates;

    /** @param maxRecordBytes the replay's limit, for the exact reason of a record over it */
    public HostileRecords(long seed, List<String> realLines, int maxRecordBytes) {
        this.random = new Random(seed);
        this.real = realLines;
        this.maxRecordBytes = maxRecordBytes;
    }

    /**
     * Writes every real line once, in order, with {@code count} hostile records among them at random places: the
     * kinds in turn (a {@code HUGE_STRING} of {@code hugeBytes} only for the first {@code huge} of its turns, the
     * others skip it). Returns the lines as written.
     */
    public List<Line> write(OutputStream out, int count, int huge, int hugeBytes) throws IOException {
        List<Kind> kinds = new ArrayList<>(List.of(Kind.values()));
        List<Line> written = new ArrayList<>(real.size() + count);
        int hostile = 0;
        int hugeWritten = 0;
        int next = 0;
        double share = (double) count / (real.size() + count);
        int realIndex = 0;
        while (realIndex < real.size() || hostile < count) {
            boolean writeHostile = hostile < count && (realIndex >= real.size() || random.nextDouble() < share);
            if (!writeHostile) {
                out.write(real.get(realIndex++).getBytes(StandardCharsets.UTF_8));
                out.write('\n');
                written.add(new Line(null, null));
                continue;
            }
            Kind kind = kinds.get(next++ % kinds.size());
            if (kind == Kind.HUGE_STRING && hugeWritten >= huge) kind = kinds.get(next++ % kinds.size());
            if (kind == Kind.HUGE_STRING) hugeWritten++;
            byte[] line = make(kind, hugeBytes);
            out.write(line);
            out.write('\n');
            hostile++;
            written.add(new Line(kind, exactReason(kind, line)));
        }
        return written;
    }

    private String exactReason(Kind kind, byte[] line) {
        return switch (kind) {
            case DEEP_NESTING, NOT_AN_OBJECT, EMPTY_HOST -> kind.reasonPrefix;
            case HUGE_STRING -> "record too large (" + line.length + " bytes > " + maxRecordBytes + ")";
            case OBJECT_FOR_EVENT_ID -> "field EventID has wrong type (object)";
            case TEXT_FOR_EVENT_ID -> "field EventID is not an integer 'one'";
            default -> null;
        };
    }

    private byte[] make(Kind kind, int hugeBytes) {
        return switch (kind) {
            case TRUNCATED -> {
                String line = any();
                yield utf8(line.substring(0, 1 + random.nextInt(line.length() - 1)));
            }
            case NOT_JSON -> utf8(NOT_JSON.get(random.nextInt(NOT_JSON.size())));
            case INVALID_UTF8 -> insertIntoAValue(any(), new byte[][] {{(byte) 0xFF}, {(byte) 0x80}, {(byte) 0xC3, '('},
                    {(byte) 0xE2, (byte) 0x82}, {(byte) 0xF8, (byte) 0x88, (byte) 0x80}}[random.nextInt(5)]);
            case NUL_BYTE -> insertIntoAValue(any(), new byte[] {0});
            case DEEP_NESTING -> utf8("{\"deep\":" + (random.nextBoolean() ? "[".repeat(10_000) + "]".repeat(10_000)
                    : "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000)) + "," + any().substring(1));
            case HUGE_STRING -> utf8("{\"CommandLine\":\"" + "A".repeat(hugeBytes) + "\"," + any().substring(1));
            case NOT_AN_OBJECT -> random.nextInt(4) == 0 ? utf8("[" + any() + "]")
                    : utf8(NOT_AN_OBJECT.get(random.nextInt(NOT_AN_OBJECT.size())));
            case OBJECT_FOR_EVENT_ID -> utf8(having("\"EventID\":").replaceFirst("\"EventID\":(\\d+)", "\"EventID\":{\"value\":$1}"));
            case TEXT_FOR_EVENT_ID -> utf8(having("\"EventID\":").replaceFirst("\"EventID\":\\d+", "\"EventID\":\"one\""));
            case EMPTY_HOST -> utf8(having("\"Hostname\":\"").replaceFirst("\"Hostname\":\"[^\"]*\"",
                    Matcher.quoteReplacement(random.nextBoolean() ? "\"Hostname\":\"\"" : "\"Hostname\":\" \\t \"")));
            case UNPARSEABLE_TIME -> utf8(having("\"UtcTime\":\"").replaceFirst("\"UtcTime\":\"[^\"]*\"", "\"UtcTime\":"
                    + List.of("\"-0001-01-01 00:00:00.000\"", "-1", "-1.0e12", "\"9999-99-99 99:99:99\"", "\"\"",
                    "{\"t\":1}", "1e300", "\"2024-02-30 10:00:00\"").get(random.nextInt(8))));
            case ABSURD_TIME -> utf8(FlatSysmon.processStart(host(), Instant.parse(List.of("1601-01-01T00:00:00Z",
                            "9999-12-31T23:59:59.999Z", "1970-01-01T00:00:00Z", "0001-01-01T00:00:00Z").get(random.nextInt(4))),
                    "{t}", "C:\\Windows\\notepad.exe", "notepad", "{p}", "C:\\Windows\\explorer.exe"));
            case NUMBERS_FOR_STRINGS -> utf8(benign().replace("\"Image\":\"C:\\\\Windows\\\\notepad.exe\"", "\"Image\":12345")
                    .replace("\"CommandLine\":\"notepad\"", "\"CommandLine\":1.5e300")
                    .replaceFirst("\"Hostname\":\"[^\"]*\"", "\"Hostname\":" + (4_200_000 + hostiles)));
            case STRING_FOR_EVENT_ID -> utf8(benign().replace("\"EventID\":1,", random.nextBoolean() ? "\"EventID\":\"1\"," : "\"EventID\":\" 1 \","));
            case DUPLICATE_KEYS -> {
                // the last of a repeated name counts: a WER start without arguments last alerts, first it does not
                String wer = "\"Image\":\"" + WERMGR.replace("\\", "\\\\") + "\",\"CommandLine\":\"\\\"" + WERMGR.replace("\\", "\\\\") + "\\\"\"";
                String benign = benign();
                yield utf8(duplicates++ % 2 == 0 ? benign.substring(0, benign.length() - 1) + "," + wer + "}"
                        : "{" + wer + "," + benign.substring(1));
            }
            case LOOKALIKE_PATH -> {
                String path = LOOKALIKES.get(random.nextInt(LOOKALIKES.size()));
                yield utf8(FlatSysmon.processStart(host(), FlatSysmon.T0, "{l}", path, "\"" + path + "\"", "{p}",
                        "C:\\Windows\\explorer.exe"));
            }
        };
    }

    private String any() {
        return real.get(random.nextInt(real.size()));
    }

    /** A real line that holds {@code text} (every kind that edits a member needs lines with that member). */
    private String having(String text) {
        Predicate<String> has = line -> line.contains(text);
        for (int i = 0; i < 1000; i++) {
            String line = any();
            if (has.test(line)) return line;
        }
        throw new IllegalStateException("no real line holds " + text);
    }

    private String host() {
        return "hostile-" + (++hostiles);
    }

    /** A notepad start, on a host of its own: no rule of ours or SigmaHQ's alerts on it. */
    private String benign() {
        return FlatSysmon.processStart(host(), FlatSysmon.T0, "{b}", "C:\\Windows\\notepad.exe", "notepad", "{p}",
                "C:\\Windows\\explorer.exe");
    }

    /** The bytes inserted right after the opening quote of a random string value. */
    private byte[] insertIntoAValue(String line, byte[] bytes) {
        List<Integer> starts = new ArrayList<>();
        for (int at = line.indexOf("\":\""); at >= 0; at = line.indexOf("\":\"", at + 1)) starts.add(at + 3);
        byte[] head = utf8(line.substring(0, starts.get(random.nextInt(starts.size()))));
        byte[] tail = utf8(line.substring(head.length == 0 ? 0 : new String(head, StandardCharsets.UTF_8).length()));
        byte[] out = new byte[head.length + bytes.length + tail.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(bytes, 0, out, head.length, bytes.length);
        System.arraycopy(tail, 0, out, head.length + bytes.length, tail.length);
        return out;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
