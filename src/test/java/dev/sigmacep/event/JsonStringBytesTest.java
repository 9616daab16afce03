package dev.sigmacep.event;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class JsonStringBytesTest {
    private static final ObjectMapper WRITER = new ObjectMapper();

    @Test
    void theClosingQuoteIsTheFirstNotEscapedByAnOddRunOfBackslashes() throws IOException {
        Random random = new Random(11);
        String alphabet = "ab\\\"/é€😀\n\t ";
        for (int n = 0; n < 5_000; n++) {
            StringBuilder value = new StringBuilder();
            for (int i = random.nextInt(40); i > 0; i--) value.append(alphabet.charAt(random.nextInt(alphabet.length())));
            String prefix = "x".repeat(random.nextInt(9)); // the string at every alignment to eight bytes
            byte[] json = (prefix + WRITER.writeValueAsString(value.toString()) + "}").getBytes(StandardCharsets.UTF_8);
            int closing = json.length - 2;
            assertThat(JsonStringBytes.closingQuote(json, prefix.length() + 1, json.length)).as(value.toString())
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
