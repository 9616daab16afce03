package dev.sigmacep.sigma.match;

import org.junit.jupiter.api.Test;

import static dev.sigmacep.sigma.match.TestEvent.matches;
import static org.assertj.core.api.Assertions.assertThat;

/** The escaping rules of the rules specification ("Escape Character"), one test per row. */
class EscapingTest {

    @Test
    void plainBackslashNotBeforeAWildcardIsWrittenSingle() throws Exception {
        assertThat(matches("Image", "C:\\Windows\\cmd.exe", "C:\\Windows\\cmd.exe")).isTrue();
    }

    @Test
    void plainBackslashNotBeforeAWildcardMayBeWrittenDouble() throws Exception {
        assertThat(matches("Image", "C:\\\\Windows\\\\cmd.exe", "C:\\Windows\\cmd.exe")).isTrue();
        assertThat(matches("Image", "C:\\\\Windows", "C:\\\\Windows")).isFalse();
    }

    @Test
    void escapedWildcardsArePlainCharacters() throws Exception {
        assertThat(matches("Title", "what\\?", "what?")).isTrue();
        assertThat(matches("Title", "what\\?", "whatX")).isFalse();
        assertThat(matches("Title", "a\\*b", "a*b")).isTrue();
        assertThat(matches("Title", "a\\*b", "aXYb")).isFalse();
    }

    @Test
    void escapedBackslashBeforeAWildcardIsABackslashFollowedByTheWildcard() throws Exception {
        assertThat(matches("Path", "C:\\\\*", "C:\\Users")).isTrue();
        assertThat(matches("Path", "C:\\\\*", "C:Users")).isFalse();
        assertThat(matches("Path", "C:\\\\?", "C:\\x")).isTrue();
    }

    @Test
    void threeBackslashesBeforeAWildcardAreABackslashAndAPlainWildcard() throws Exception {
        assertThat(matches("Path", "C:\\\\\\*", "C:\\*")).isTrue();
        assertThat(matches("Path", "C:\\\\\\*", "C:\\Users")).isFalse();
    }

    @Test
    void threeOrFourBackslashesAreADoubleBackslash() throws Exception {
        assertThat(matches("Share", "\\\\\\\\server", "\\\\server")).isTrue();
        assertThat(matches("Share", "\\\\\\server", "\\\\server")).isTrue();
        assertThat(matches("Share", "\\\\\\\\server", "\\server")).isFalse();
    }

    @Test
    void backslashAtTheEndIsPlain() throws Exception {
        assertThat(matches("Dir|endswith", "\\Temp\\", "C:\\Temp\\")).isTrue();
        assertThat(matches("Dir", "x\\", "x\\")).isTrue();
    }

    @Test
    void unescapedWildcardsMatchAnyRunOrOneCharacter() throws Exception {
        assertThat(matches("Image", "*\\prog?.exe", "C:\\bin\\progA.exe")).isTrue();
        assertThat(matches("Image", "*\\prog?.exe", "C:\\bin\\prog.exe")).isFalse();
        assertThat(matches("Image", "antivirus_V*.exe", "antivirus_V21.2.1.exe")).isTrue();
        assertThat(matches("Image", "antivirus_V*.exe", "antivirus_V21.2.1.dll")).isFalse();
    }
}
