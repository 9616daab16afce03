package dev.sigmacep.event;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class JsonRecordSplitterTest {

    private static List<String> split(String text) throws IOException {
        return split(input(text), 1 << 20);
    }

    private static InputStream input(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> split(InputStream input, int max) throws IOException {
        JsonRecordSplitter splitter = new JsonRecordSplitter(input, max);
        List<String> records = new ArrayList<>();
        while (splitter.next()) records.add(text(splitter));
        return records;
    }

    private static String text(JsonRecordSplitter splitter) {
        return new String(splitter.bytes(), 0, splitter.length(), StandardCharsets.UTF_8);
    }

    @Test
    void ndjson() throws IOException {
        assertThat(split("{\"a\":1}\n{\"b\":2}\r\n\n{\"c\":3}")).containsExactly("{\"a\":1}", "{\"b\":2}", "{\"c\":3}");
    }

    @Test
    void emptyInput() throws IOException {
        assertThat(split("")).isEmpty();
        assertThat(split(" \n\r\n\t ")).isEmpty();
    }

    @Test
    void prettyPrintedObjectsBackToBackWithAndWithoutSeparators() throws IOException {
        String a = "{\n  \"a\": {\n    \"b\": [1, {\"c\": 2}]\n  }\n}";
        String b = "{\n  \"d\": 3\n}";
        assertThat(split(a + "\n" + b + "\n")).containsExactly(a, b);
        assertThat(split(a + b)).containsExactly(a, b);
        assertThat(split(a + ",\n" + b)).containsExactly(a, b);
    }

    @Test
    void topLevelArrayOfObjects() throws IOException {
        assertThat(split("[\n {\"a\":1},\n {\"b\":[2]}\n]\n")).containsExactly("{\"a\":1}", "{\"b\":[2]}");
    }

    @Test
    void evtxDumpRecordHeadersAreSkipped() throws IOException {
        String a = "{\n  \"Event\": {\n    \"System\": {\n      \"EventID\": 1\n    }\n  }\n}";
        String b = "{\n  \"Event\": {\n    \"System\": {\n      \"EventID\": 3\n    }\n  }\n}";
        assertThat(split("Record 1\n" + a + "\nRecord 2\r\n" + b + "\n")).containsExactly(a, b);
    }

    @Test
    void bracesAndQuotesInsideStrings() throws IOException {
        String a = "{\"cmd\":\"powershell -c \\\"if ($x) { exit }\\\" }}}{{{\",\"p\":\"C:\\\\dir\\\\\"}";
        String b = "{\"q\":\"[[[\"}";
        assertThat(split(a + "\n" + b)).containsExactly(a, b);
    }

    @Test
    void escapedBackslashBeforeClosingQuote() throws IOException {
        String a = "{\"path\":\"C:\\\\\",\"x\":\"}\"}";
        assertThat(split(a + a)).containsExactly(a, a);
    }

    @Test
    void garbageBetweenObjectsComesBackLineByLine() throws IOException {
        List<String> records = split("{\"a\":1}\nthis is not json\n{\"b\":2} trailing words\nRecord twelve\n{\"c\":3}");
        assertThat(records).containsExactly("{\"a\":1}", "this is not json", "{\"b\":2}", "trailing words",
                "Record twelve", "{\"c\":3}");
    }

    @Test
    void truncatedLastObjectIsReturnedAsItIs() throws IOException {
        assertThat(split("{\"a\":1}\n{\"b\": {\"c\": \"unfinished")).containsExactly("{\"a\":1}", "{\"b\": {\"c\": \"unfinished");
    }

    @Test
    void unclosedObjectEndsWhereANewTopLevelObjectStartsALine() throws IOException {
        assertThat(split("{\"a\": \"broken\n{\"b\":2}\n{\"c\": {\n{\"d\":4}"))
                .containsExactly("{\"a\": \"broken", "{\"b\":2}", "{\"c\": {", "{\"d\":4}");
    }

    @Test
    void oversizedRecordIsCutButReadToItsEnd() throws IOException {
        String big = "{\"x\":\"" + "y".repeat(100) + "\"}";
        JsonRecordSplitter splitter = new JsonRecordSplitter(input(big + "\n{\"a\":1}\n" + "z".repeat(50) + "\n"), 20);
        assertThat(splitter.next()).isTrue();
        assertThat(text(splitter)).isEqualTo(big.substring(0, 20));
        assertThat(splitter.lastRecordTruncated()).isTrue();
        assertThat(splitter.lastRecordBytes()).isEqualTo(big.length());
        assertThat(splitter.next()).isTrue();
        assertThat(text(splitter)).isEqualTo("{\"a\":1}");
        assertThat(splitter.lastRecordTruncated()).isFalse();
        assertThat(splitter.next()).isTrue();
        assertThat(text(splitter)).isEqualTo("z".repeat(20));
        assertThat(splitter.lastRecordBytes()).isEqualTo(50);
        assertThat(splitter.next()).isFalse();
    }

    @Test
    void decodeNextTurnsAnOversizedRecordIntoADeadLetter() throws IOException {
        EventDecoder decoder = new EventDecoder(50);
        String big = "{\"EventID\":1,\"Hostname\":\"H\",\"UtcTime\":\"2024-03-12 09:00:00\",\"x\":\"" + "y".repeat(100) + "\"}";
        JsonRecordSplitter splitter = new JsonRecordSplitter(input(big), 50);
        DecodeResult result = decoder.decodeNext(splitter);
        assertThat(result.deadLetter().reason()).isEqualTo("record too large (" + big.length() + " bytes > 50)");
        assertThat(decoder.decodeNext(splitter)).isNull();
    }

    @Test
    void byteOrderMarkIsSkipped() throws IOException {
        assertThat(split("\uFEFF{\"a\":1}")).containsExactly("{\"a\":1}");
        assertThat(split("{\"a\":1}\n\uFEFF{\"b\":2}")).containsExactly("{\"a\":1}", "{\"b\":2}");
        // a line that only starts like one is a record of its own
        assertThat(split("\u00ef\u00bb x\n\uFEFF")).containsExactly("\u00ef\u00bb x");
        assertThat(split("\uFEFF\u20ac")).containsExactly("\u20ac");
    }

    @Test
    void multiByteCharactersPassThroughUntouched() throws IOException {
        String a = "{\"p\":\"C:\\\\Users\\\\J\u00fcrgen\\\\\u4e2d\u6587\",\"e\":\"\uD83D\uDE00}\"}";
        assertThat(split(a + "\n" + a)).containsExactly(a, a);
    }

    @Test
    void readsAcrossBufferBoundariesFromATrickleReader() throws IOException {
        String a = "{\"k\":\"" + "v".repeat(40_000) + "\"}";
        String text = a + "\n" + a + "\nRecord 3\n" + a;
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        assertThat(split(slices(bytes, 7), 1 << 20)).containsExactly(a, a, a);
    }

    /**
     * The splitter jumps through strings eight bytes at a time: on random streams of JSON syntax, escapes, line
     * breaks, multi-byte characters and long strings, read in random slices and under random record limits, it
     * finds exactly the records (bytes, lengths, truncation) the byte-at-a-time splitter found.
     */
    @Test
    void findsTheSameRecordsAsTheByteAtATimeSplitter() throws IOException {
        Random random = new Random(11);
        String[] pieces = {"{", "}", "[", "]", "\"", "\\", "\\\"", ",", ":", "\n", "\r\n", " ", "Record 7\n",
                "abcdefgh", "C:\\\\Windows\\\\System32", "\u00fc\u4e2d", "\uD83D\uDE00", "\uFEFF", "x".repeat(70)};
        for (int round = 0; round < 3_000; round++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(120);
            for (int i = 0; i < length; i++) text.append(pieces[random.nextInt(pieces.length)]);
            byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
            int slice = 1 + random.nextInt(100);
            int max = random.nextBoolean() ? 1 << 20 : 1 + random.nextInt(200);
            JsonRecordSplitter fast = new JsonRecordSplitter(slices(bytes, slice), max);
            ByteAtATimeJsonRecordSplitter reference = new ByteAtATimeJsonRecordSplitter(slices(bytes, slice), max);
            while (true) {
                boolean more = reference.next();
                assertThat(fast.next()).as("round %d: %s", round, text).isEqualTo(more);
                if (!more) break;
                assertThat(new String(fast.bytes(), 0, fast.length(), StandardCharsets.ISO_8859_1))
                        .as("round %d: %s", round, text)
                        .isEqualTo(new String(reference.bytes(), 0, reference.length(), StandardCharsets.ISO_8859_1));
                assertThat(fast.lastRecordBytes()).isEqualTo(reference.lastRecordBytes());
                assertThat(fast.lastRecordTruncated()).isEqualTo(reference.lastRecordTruncated());
            }
        }
    }

    /** The bytes, handed out at most {@code slice} at a time. */
    private static InputStream slices(byte[] bytes, int slice) {
        return new InputStream() {
            private int at;

            @Override
            public int read() {
                return at == bytes.length ? -1 : bytes[at++] & 0xff;
            }

            @Override
            public int read(byte[] into, int off, int len) {
                if (at == bytes.length) return -1;
                int n = Math.min(Math.min(len, slice), bytes.length - at);
                System.arraycopy(bytes, at, into, off, n);
                at += n;
                return n;
            }
        };
    }
}
