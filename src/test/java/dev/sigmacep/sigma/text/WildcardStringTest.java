package dev.sigmacep.sigma.text;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Sigma string values after escape processing; the escaping rules themselves are tested in {@code match.EscapingTest}. */
class WildcardStringTest {

    @Test
    void valuesWrittenBackForMessagesReadTheSame() {
        Random random = new Random(42);
        for (int round = 0; round < 5_000; round++) {
            StringBuilder written = new StringBuilder();
            for (int i = random.nextInt(10); i > 0; i--) {
                written.append("a\\*?".charAt(random.nextInt(4)));
            }
            WildcardString value = WildcardString.parse(written.toString());
            WildcardString reread = WildcardString.parse(value.toString());
            assertThat(reread.plain()).as("'%s' written back as '%s'", written, value).isEqualTo(value.plain());
            for (int i = 0; i < value.length(); i++) {
                assertThat(reread.kindAt(i)).as("'%s' written back as '%s'", written, value).isEqualTo(value.kindAt(i));
            }
        }
        assertThat(WildcardString.parse("C:\\\\Windows\\\\*").toString()).isEqualTo("C:\\Windows\\\\*");
        assertThat(WildcardString.parse("C:\\Windows\\*").toString()).isEqualTo("C:\\Windows\\*");
    }
}
