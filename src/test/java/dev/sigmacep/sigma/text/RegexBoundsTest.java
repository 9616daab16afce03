package dev.sigmacep.sigma.text;

import com.google.re2j.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The bounds checked before RE2/J compiles a regex (its compiler recurses per group and unrolls repetitions). */
class RegexBoundsTest {
    private static final String TOO_DEEP = "nests groups deeper than 100 levels";
    private static final String TOO_LARGE = "unrolls to more than 100000 atoms (counted repetitions like {1000} multiply)";

    @ParameterizedTest
    @ValueSource(strings = {
            "\\\\Windows\\\\System32\\\\[a-zA-Z0-9]{8}\\.tmp$",
            "(?i)\\$\\{`?e`?n`?v`?:`?p`?a`?t`?h`?\\}",
            "^(a+)+$",
            "https?://0[0-9]{3,11}",
            "[a-z]{1000}",
            "a{,3}b",
    })
    void everydayRegexesPass(String regex) {
        assertThat(RegexBounds.excess(regex)).isNull();
    }

    @Test
    void groupNestingIsCappedAt100() {
        assertThat(RegexBounds.excess("(".repeat(100) + "a" + ")".repeat(100))).isNull();
        assertThat(RegexBounds.excess("(".repeat(101) + "a" + ")".repeat(101))).isEqualTo(TOO_DEEP);
        assertThat(RegexBounds.excess("(?:".repeat(101) + "a" + ")".repeat(101))).isEqualTo(TOO_DEEP);
        // escaped brackets and brackets in classes are no groups
        assertThat(RegexBounds.excess("\\(".repeat(300) + "[(]".repeat(300) + "\\Q" + "(".repeat(300) + "\\E"))
                .isNull();
    }

    @Test
    void countedRepetitionsMultiplyAlongTheNesting() {
        assertThat(RegexBounds.excess("(a{1000}){100}")).isNull(); // 100,000 atoms
        assertThat(RegexBounds.excess("(a{1000}){101}")).isEqualTo(TOO_LARGE);
        assertThat(RegexBounds.excess("((a{1000}){1000}){1000}")).isEqualTo(TOO_LARGE);
        assertThat(RegexBounds.excess("(ab{10,1000}){100}")).isEqualTo(TOO_LARGE); // {n,m} unrolls to m copies
        assertThat(RegexBounds.excess("(ab{1000,}){99}")).isNull(); // {n,} to n copies: 99 * 1001
        assertThat(RegexBounds.excess("(\\Q" + "x".repeat(200) + "\\E){1000}")).isEqualTo(TOO_LARGE);
        assertThat(RegexBounds.excess("(a|b|c{1000}){100}")).isEqualTo(TOO_LARGE); // alternatives add up
        assertThat(RegexBounds.excess("a{1000}".repeat(99))).isNull(); // side by side they only add
    }

    @Test
    void whatItAcceptsRe2jCompiles() {
        String largest = "(a{1000}){100}";
        assertThat(RegexBounds.excess(largest)).isNull();
        // matching costs the value's length times the live NFA threads (up to 1,000 here): a short value
        assertThat(Pattern.compile(largest).matcher("a".repeat(1_000)).find()).isFalse();
        String deepest = "(".repeat(100) + "a" + ")".repeat(100);
        assertThat(Pattern.compile(deepest).matcher("a").find()).isTrue();
    }

    @Test
    void lengthIsCappedAt4096() {
        assertThat(RegexBounds.excess("a".repeat(4096))).isNull();
        assertThat(RegexBounds.excess("a".repeat(4097))).isEqualTo("is 4097 characters long, more than the 4096 allowed");
    }

    @Test
    void bracesThatAreNoRepetitionCountOnce() {
        assertThat(RegexBounds.excess("x" + "{".repeat(4000))).isNull();
        assertThat(RegexBounds.excess("(" + "{".repeat(200) + "){1000}")).isEqualTo(TOO_LARGE);
        assertThatThrownBy(() -> Pattern.compile("(a{1001})")).hasMessageContaining("invalid repeat count");
    }
}
