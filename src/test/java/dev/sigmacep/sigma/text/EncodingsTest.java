package dev.sigmacep.sigma.text;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The byte encodings of the encoding modifiers; the modifiers themselves are tested in {@code match.EncodingModifiersTest}. */
class EncodingsTest {

    @Test
    void base64OffsetGivesTheThreeShiftedEncodings() {
        // the well-known example from the Sigma documentation
        assertThat(Encodings.base64Offsets("/bin/bash".getBytes(StandardCharsets.US_ASCII)))
                .containsExactly("L2Jpbi9iYXNo", "9iaW4vYmFza", "vYmluL2Jhc2");
        assertThat(Encodings.base64Offsets(Encodings.utf16le("ping")))
                .containsExactly("cABpAG4AZw", "AAaQBuAGcA", "wAGkAbgBnA");
    }
}
