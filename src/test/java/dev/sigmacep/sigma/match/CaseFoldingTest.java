package dev.sigmacep.sigma.match;

import org.junit.jupiter.api.Test;

import static dev.sigmacep.sigma.match.TestEvent.matches;
import static org.assertj.core.api.Assertions.assertThat;

/** Case folding agrees with String.regionMatches(ignoreCase), which exact matches and prefixes/suffixes use. */
class CaseFoldingTest {

    @Test
    void everyCharIsEqualIgnoringCaseToItsFold() {
        for (char c = 0; c < Character.MAX_VALUE; c++) {
            char folded = CaseFolding.fold(c, false);
            assertThat(String.valueOf(c).regionMatches(true, 0, String.valueOf(folded), 0, 1))
                    .as("U+%04X folds to U+%04X", (int) c, (int) folded).isTrue();
            assertThat(CaseFolding.fold(folded, false)).as("fold of U+%04X is stable", (int) c).isEqualTo(folded);
        }
    }

    @Test
    void searchesAndAnchoredMatchesAgreeOnNonAsciiCaseEquivalents() throws Exception {
        // KELVIN SIGN and LATIN SMALL LETTER LONG S are equal ignoring case to k and s
        assertThat(matches("Image|contains", "kslogger", "C:\\x\\\u212A\u017Flogger.exe")).isTrue();
        assertThat(matches("Image", "kslogger", "\u212A\u017Flogger")).isTrue();
        assertThat(matches("Image|contains|cased", "kslogger", "C:\\x\\\u212A\u017Flogger.exe")).isFalse();
    }
}
