package dev.sigmacep.sigma.match;

import dev.sigmacep.field.EventPredicate;
import dev.sigmacep.sigma.SigmaRuleException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static dev.sigmacep.sigma.match.TestEvent.compile;
import static dev.sigmacep.sigma.match.TestEvent.matches;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** base64, base64offset, utf16le/utf16be/utf16/wide, alone and chained. */
class EncodingModifiersTest {

    private static String base64(byte[] data) {
        return Base64.getEncoder().encodeToString(data);
    }

    @Test
    void utf16VariantsGiveTheAppendixByteSequences() throws Exception {
        // the appendix: cmd > 63 00 6d 00 64 00 (LE), 00 63 00 6d 00 64 (BE), FF FE 63 00 6d 00 64 00 (with BOM)
        assertThat(matches("Data|utf16le", "cmd", "c\0m\0d\0")).isTrue();
        assertThat(matches("Data|wide", "cmd", "c\0m\0d\0")).isTrue();
        assertThat(matches("Data|utf16be", "cmd", "\0c\0m\0d")).isTrue();
        assertThat(matches("Data|utf16", "cmd", "\u00ff\u00fec\0m\0d\0")).isTrue();
        assertThat(matches("Data|utf16le", "cmd", "cmd")).isFalse();
        assertThat(matches("Data|wide|contains", "cmd", "xx c\0m\0d\0 yy")).isTrue();
    }

    @Test
    void base64EncodesTheUtf8OrTheUtf16Bytes() throws Exception {
        assertThat(matches("Data|base64", "cmd", "Y21k")).isTrue();
        assertThat(matches("Data|utf16le|base64", "cmd", "YwBtAGQA")).isTrue();
        assertThat(matches("Data|wide|base64", "cmd", "YwBtAGQA")).isTrue();
        assertThat(matches("Data|utf16be|base64", "cmd", "AGMAbQBk")).isTrue();
        assertThat(matches("Data|utf16|base64", "cmd", "//5jAG0AZAA=")).isTrue();
        assertThat(matches("Data|base64|contains", "cmd", "x Y21k y")).isTrue();
        assertThat(matches("Data|base64", "cmd", "cmd")).isFalse();
    }

    @Test
    void base64OffsetContainsFindsTheValueAtEveryOffsetOfAnEncodedString() throws Exception {
        EventPredicate predicate = compile("CommandLine|base64offset|contains", "/bin/bash");
        for (String prefix : new String[] {"", "x", "xy", "xyz", "wxyz"}) {
            String encoded = base64((prefix + "/bin/bash -c id").getBytes(StandardCharsets.US_ASCII));
            assertThat(predicate.test(TestEvent.of("CommandLine", "echo " + encoded + " | base64 -d")))
                    .as("prefix '%s'", prefix).isTrue();
        }
        String other = base64("/bin/sh -c id".getBytes(StandardCharsets.US_ASCII));
        assertThat(predicate.test(TestEvent.of("CommandLine", other))).isFalse();
    }

    @Test
    void wideBase64OffsetContainsFindsUtf16TextInPowerShellEncodedCommands() throws Exception {
        EventPredicate predicate = compile("CommandLine|wide|base64offset|contains", "ping");
        for (String prefix : new String[] {"", "a", "ab"}) {
            String encoded = base64((prefix + "ping 127.0.0.1").getBytes(StandardCharsets.UTF_16LE));
            assertThat(predicate.test(TestEvent.of("CommandLine", "powershell -enc " + encoded))).isTrue();
        }
        String ascii = base64("xx ping yy".getBytes(StandardCharsets.US_ASCII));
        assertThat(predicate.test(TestEvent.of("CommandLine", "powershell -enc " + ascii))).isFalse();
    }

    @Test
    void encodedValuesMatchCaseInsensitivelyUnlessCased() throws Exception {
        assertThat(matches("Data|base64", "cmd", "y21K")).isTrue();
        assertThat(matches("Data|base64|cased", "cmd", "y21K")).isFalse();
        assertThat(matches("Data|base64|cased", "cmd", "Y21k")).isTrue();
    }

    @Test
    void wildcardsCannotBeEncoded() {
        assertThatThrownBy(() -> compile("Data|contains|base64", "cmd"))
                .isInstanceOf(SigmaRuleException.class)
                .hasMessage("modifier 'base64' in 'Data|contains|base64' cannot encode the wildcards or windash dashes"
                        + " of '*cmd*' (put contains/startswith/endswith after the encoding, and escape literal * and ?)");
        assertThatThrownBy(() -> compile("Data|base64offset|contains", "cmd*.exe"))
                .isInstanceOf(SigmaRuleException.class)
                .hasMessageStartingWith("modifier 'base64offset' in 'Data|base64offset|contains' cannot encode the"
                        + " wildcards or windash dashes of 'cmd*.exe'");
        assertThatThrownBy(() -> compile("Data|windash|wide", "-x"))
                .isInstanceOf(SigmaRuleException.class)
                .hasMessageStartingWith("modifier 'wide' in 'Data|windash|wide' cannot encode");
    }

    @Test
    void escapedWildcardsAreEncodedAsPlainCharacters() throws Exception {
        assertThat(matches("Data|base64", "a\\*b", base64("a*b".getBytes(StandardCharsets.US_ASCII)))).isTrue();
    }
}
