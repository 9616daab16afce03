package dev.sigmacep.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class ValueInternerTest {

    @Test
    void hashOfCharsIsStringsHashAtEveryLength() {
        Random random = new Random(7);
        for (int length = 0; length < 70; length++) {
            char[] chars = new char[length + 6];
            for (int i = 0; i < chars.length; i++) {
                chars[i] = (char) (i % 3 == 0 ? random.nextInt(0x10000) : 'a' + random.nextInt(26));
            }
            assertThat(ValueInterner.hash(chars, 3, length)).isEqualTo(new String(chars, 3, length).hashCode());
        }
    }

    @Test
    void aValueFromCharsIsTheKnownStringWhenTheSameCharsComeAgain() {
        ValueInterner interner = new ValueInterner();
        char[] buffer = "xxC:\\Windows\\System32\\wermgr.exexx".toCharArray();
        String first = interner.intern(buffer, 2, buffer.length - 4);
        assertThat(first).isEqualTo("C:\\Windows\\System32\\wermgr.exe");
        assertThat(interner.intern(buffer.clone(), 2, buffer.length - 4)).isSameAs(first);
        assertThat(interner.intern(new String(first.toCharArray()))).isSameAs(first);

        char[] tooLong = "y".repeat(ValueInterner.MAX_CHARS + 1).toCharArray();
        assertThat(interner.intern(tooLong, 0, tooLong.length)).isNotSameAs(interner.intern(tooLong, 0, tooLong.length));
    }

    @Test
    void valuesWithTheSameHashAreToldApartByTheirChars() {
        ValueInterner interner = new ValueInterner();
        assertThat("Aa".hashCode()).isEqualTo("BB".hashCode());
        String aa = interner.intern("Aa".toCharArray(), 0, 2);
        assertThat(interner.intern("BB".toCharArray(), 0, 2)).isEqualTo("BB");
        assertThat(interner.intern("BB")).isEqualTo("BB");
        assertThat(interner.intern("xAax".toCharArray(), 1, 2)).isEqualTo("Aa").isNotSameAs(aa); // "BB" took the slot
        assertThat(interner.intern("Aa".toCharArray(), 0, 1)).isEqualTo("A");
    }

    private static final JsonFactory JSON = new JsonFactory();
    private static final ObjectMapper WRITER = new ObjectMapper();

    @Test
    void oneScanFindsTheClosingQuoteAndTheHashOfTheBytesBeforeIt() throws IOException {
        Random random = new Random(13);
        for (int n = 0; n < 5_000; n++) {
            String string = JsonStringBytesTest.randomJsonString(random);
            long[] found = new long[2];
            for (int copy = 0; copy < 2; copy++) { // the same string at another place: the same hash
                String prefix = "x".repeat(random.nextInt(9));
                byte[] json = (prefix + string + ",\"y\":\"z\"}").getBytes(StandardCharsets.UTF_8);
                int start = prefix.length() + 1;
                int end = JsonStringBytes.closingQuote(json, start, json.length);
                found[copy] = ValueInterner.hashToClosingQuote(json, start, json.length);
                assertThat(found[copy] >>> 32).as(string).isEqualTo(end);
                long twoPasses = ValueInterner.hash(json, start, end); // as where the scan falls back to two passes
                assertThat((int) found[copy]).as(string).isEqualTo((int) (twoPasses ^ (twoPasses >>> 32)));
                assertThat(ValueInterner.hashToClosingQuote(json, start, end)).isEqualTo(-1); // cut before it
            }
            assertThat((int) found[0]).as(string).isEqualTo((int) found[1]);
        }
    }

    @Test
    void aJsonStringIsItsDecodedValueAndTheKnownInstanceWhenItsBytesComeAgain() throws IOException {
        ValueInterner interner = new ValueInterner();
        String path = internJson(interner, "C:\\\\Windows\\\\System32\\\\wermgr.exe");
        assertThat(path).isEqualTo("C:\\Windows\\System32\\wermgr.exe");
        assertThat(internJson(interner, "C:\\\\Windows\\\\System32\\\\wermgr.exe")).isSameAs(path);
        // the same value escaped otherwise: other bytes, an equal value (and the instance of the value's own slot)
        assertThat(internJson(interner, "C:\\u005cWindows\\\\System32\\\\wermgr.exe")).isEqualTo(path).isSameAs(path);
        assertThat(internJson(interner, "a\\/b")).isEqualTo("a/b");

        String tooLong = "y".repeat(ValueInterner.MAX_CHARS + 1);
        String first = internJson(interner, tooLong);
        assertThat(first).isEqualTo(tooLong);
        assertThat(internJson(interner, tooLong)).isEqualTo(tooLong).isNotSameAs(first);
    }

    @Test
    void manyJsonStringsSharingSlotsAreEachTheirOwnValue() throws IOException {
        ValueInterner interner = new ValueInterner();
        Random random = new Random(5);
        List<String> values = new ArrayList<>(); // 2.5 times the table's slots: slots are taken over again and again
        for (int i = 0; i < 20_000; i++) values.add("v" + Integer.toString(random.nextInt(), 36) + "\\\\" + i % 7);
        for (int n = 0; n < 80_000; n++) {
            String escaped = values.get(random.nextInt(values.size()));
            assertThat(internJson(interner, escaped)).isEqualTo(WRITER.readValue("\"" + escaped + "\"", String.class));
        }
    }

    /** The JSON string written as {@code escaped} (its bytes between the quotes), interned the way the reader does. */
    private static String internJson(ValueInterner interner, String escaped) throws IOException {
        byte[] json = ("{\"v\": \"" + escaped + "\"}").getBytes(StandardCharsets.UTF_8);
        try (JsonParser parser = JSON.createParser(json)) {
            parser.nextToken();
            parser.nextFieldName();
            assertThat(parser.nextToken()).isEqualTo(JsonToken.VALUE_STRING);
            int quote = (int) parser.currentTokenLocation().getByteOffset();
            String value = interner.internJsonString(parser, json, quote + 1, json.length);
            assertThat(parser.nextToken()).isEqualTo(JsonToken.END_OBJECT); // the parser goes on after the string
            return value;
        }
    }
}
