package dev.sigmacep.event;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class JsonStringBytesTest {
    private static final ObjectMapper WRITER = new ObjectMapper();

    /**
     * A JSON string as Jackson writes it, quotes included: up to 40 chars among letters, quotes, backslashes, a
     * slash, multi-byte characters, halves of a surrogate pair and control characters, so with escapes of all kinds.
     */
    static String randomJsonString(Random random) throws IOException {
        String alphabet = "ab\\\"/é€😀\n\t ";
        StringBuilder value = new StringBuilder();
        for (int i = random.nextInt(40); i > 0; i--) value.append(alphabet.charAt(random.nextInt(alphabet.length())));
        return WRITER.writeValueAsString(value.toString());
    }

    @Test
    void theClosingQuoteIsTheFirstNotEscapedByAnOddRunOfBackslashes() throws IOException {
        Random random = new Random(11);
        for (int n = 0; n < 5_000; n++) {
            String string = randomJsonString(random);
            String prefix = "x".repeat(random.nextInt(9)); // the string at every alignment to eight bytes
            byte[] json = (prefix + string + "}").getBytes(StandardCharsets.UTF_8);
            int closing = json.length - 2;
            assertThat(JsonStringBytes.closingQuote(json, prefix.length() + 1, json.length)).as(string)
                    .isEqualTo(closing);
            assertThat(JsonStringBytes.closingQuote(json, prefix.length() + 1, closing)).isEqualTo(-1); // cut before it
        }
        byte[] unclosed = "\"abcdefghij\\\"klmnop\\\\\\\"".getBytes(StandardCharsets.UTF_8); // "abcdefghij\"klmnop\\\"
        assertThat(JsonStringBytes.closingQuote(unclosed, 1, unclosed.length)).isEqualTo(-1);
    }

    @Test
    void aByteIsEscapedByAnOddRunOfBackslashesAfterTheStart() {
        byte[] bytes = "a\\\\\\\"b".getBytes(StandardCharsets.UTF_8); // a\\\"b: three backslashes
        assertThat(JsonStringBytes.isEscaped(bytes, 0, 4)).isTrue();
        assertThat(JsonStringBytes.isEscaped(bytes, 0, 3)).isFalse();
        assertThat(JsonStringBytes.isEscaped(bytes, 2, 4)).isFalse(); // the run counts from the start on
        assertThat(JsonStringBytes.isEscaped(bytes, 0, 0)).isFalse();
    }
}
