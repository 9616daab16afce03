package dev.sigmacep.sigma.match;

import dev.sigmacep.sigma.SigmaRuleException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static dev.sigmacep.sigma.match.TestEvent.compile;
import static dev.sigmacep.sigma.match.TestEvent.matches;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** re with its i/m/s flags on RE2/J, and the rejection of constructs RE2/J cannot run. */
class RegexTest {

    @Test
    void regexIsSearchedAnywhereAndCaseSensitive() throws Exception {
        assertThat(matches("CommandLine|re", "-[eE]nc\\s+[A-Za-z0-9+/=]{8,}", "powershell -enc SQBFAFgA")).isTrue();
        assertThat(matches("CommandLine|re", "powershell", "POWERSHELL -x")).isFalse();
        assertThat(matches("Image|re", "^C:\\\\Windows\\\\", "D:\\C:\\Windows\\")).isFalse();
        assertThat(matches("Image|re", "\\.exe$", "a.exe")).isTrue();
    }

    @Test
    void iFlagMatchesCaseInsensitively() throws Exception {
        // from SigmaHQ: TargetFilename|re|i: '^C:\\Users\\[^\\]+\\NTUSER\.DAT$'
        String regex = "^C:\\\\Users\\\\[^\\\\]+\\\\NTUSER\\.DAT$";
        assertThat(matches("TargetFilename|re|i", regex, "c:\\users\\bob\\ntuser.dat")).isTrue();
        assertThat(matches("TargetFilename|re", regex, "c:\\users\\bob\\ntuser.dat")).isFalse();
        assertThat(matches("TargetFilename|re|i", regex, "C:\\Users\\bob\\x\\NTUSER.DAT")).isFalse();
    }

    @Test
    void mFlagAnchorsAtLines() throws Exception {
        assertThat(matches("ScriptBlockText|re", "^iex", "$a = 1\niex $a")).isFalse();
        assertThat(matches("ScriptBlockText|re|m", "^iex", "$a = 1\niex $a")).isTrue();
    }

    @Test
    void sFlagLetsDotMatchNewlines() throws Exception {
        assertThat(matches("ScriptBlockText|re", "begin.+end", "begin\nend")).isFalse();
        assertThat(matches("ScriptBlockText|re|s", "begin.+end", "begin\nend")).isTrue();
    }

    @Test
    void literalsOutOfTheirOrderDoNotMatch() throws Exception {
        // the regex is tried only on values holding its literals "set", "&&", '"' in this order
        String regex = "(?i)set.*&&.*\"";
        assertThat(matches("ScriptBlockText|re", regex, "SET a && b\"")).isTrue();
        assertThat(matches("ScriptBlockText|re", regex, "x = \"a\" && set")).isFalse();
        assertThat(matches("ScriptBlockText|re", regex, "set a &\"&")).isFalse();
        assertThat(matches("ScriptBlockText|re", regex, "&&set&&\"")).isTrue();
    }

    @Test
    void inlineFlagsWork() throws Exception {
        assertThat(matches("CommandLine|re", "(?i)WERFAULTSECURE\\.exe", "werfaultsecure.exe 123")).isTrue();
    }

    @Test
    void regexMatchesNumbersByStringFormAndListsByElement() throws Exception {
        assertThat(matches("EventID|re", "^46(88|89)$", 4689L)).isTrue();
        assertThat(matches("Tags|re", "^evil", List.of("good", "evil-tag"))).isTrue();
        assertThat(compile("|re", "mimi[k]atz").test(TestEvent.of("A", "x", "B", "run mimikatz"))).isTrue();
    }

    @Test
    void regexListWithAll() throws Exception {
        assertThat(matches("CommandLine|re|all", List.of("^a", "z$"), "abcz")).isTrue();
        assertThat(matches("CommandLine|re|all", List.of("^a", "z$"), "abc")).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "(a)\\1              | a back-reference (\\1)",
            "(?<n>a)\\k<n>       | a named back-reference (\\k)",
            "a(?=b)              | a look-ahead ((?=...))",
            "a(?!b)              | a negative look-ahead ((?!...))",
            "(?<=a)b             | a look-behind ((?<=...))",
            "(?<!a)b             | a negative look-behind ((?<!...))",
            "(?>ab)c             | an atomic group ((?>...))",
            "a*+b                | a possessive quantifier (*+)",
            "a{2}+               | a possessive quantifier ({2}+)",
            "(a)(?(1)b)          | a conditional group ((?(...)...))",
            "(?R)                | a recursive or subroutine call ((?R...)",
            "a\\Z                | the escape \\Z",
    })
    void pcreConstructsRE2CannotRunAreRejectedByName(String regex, String construct) {
        assertThatThrownBy(() -> compile("CommandLine|re", regex.strip()))
                .isInstanceOf(SigmaRuleException.class)
                .hasMessage("regex in 'CommandLine|re' uses " + construct.strip()
                        + ", which the linear-time regex engine cannot run");
    }

    @Test
    void plainSyntaxErrorsAreRejectedWithTheParserMessage() {
        assertThatThrownBy(() -> compile("CommandLine|re", "(abc"))
                .isInstanceOf(SigmaRuleException.class)
                .hasMessage("regex in 'CommandLine|re' is invalid: missing closing ): `(abc`");
    }

    @Test
    void invalidRegexChains() {
        assertChainRejected("CommandLine|re|contains", "modifier 'contains' cannot be combined with 're' in 'CommandLine|re|contains'");
        assertChainRejected("CommandLine|contains|re", "modifier 'contains' cannot be combined with 're' in 'CommandLine|contains|re'");
        assertChainRejected("CommandLine|re|windash", "modifier 'windash' cannot be combined with 're' in 'CommandLine|re|windash'");
        assertChainRejected("CommandLine|re|base64", "modifier 'base64' cannot be combined with 're' in 'CommandLine|re|base64'");
        assertChainRejected("CommandLine|i", "regex flag modifier 'i' in 'CommandLine|i' needs the 're' modifier");
        assertChainRejected("CommandLine|contains|s", "regex flag modifier 's' in 'CommandLine|contains|s' needs the 're' modifier");
        assertChainRejected("CommandLine|re|i|cased", "modifiers 'cased' and 'i' contradict each other in 'CommandLine|re|i|cased'");
    }

    private static void assertChainRejected(String fieldSpec, String reason) {
        assertThatThrownBy(() -> compile(fieldSpec, "x")).isInstanceOf(SigmaRuleException.class).hasMessage(reason);
    }
}
