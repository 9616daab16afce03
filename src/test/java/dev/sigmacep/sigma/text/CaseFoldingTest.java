package dev.sigmacep.sigma.text;

import org.junit.jupiter.api.Test;

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
}
