package dev.sigmacep.sigma.match;

import dev.sigmacep.sigma.SigmaRuleException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.sigmacep.sigma.match.TestEvent.compile;
import static dev.sigmacep.sigma.match.TestEvent.matches;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** lt, lte, gt, gte. */
class NumericModifiersTest {

    @Test
    void comparisonsOnIntegers() throws Exception {
        assertThat(matches("Count|lt", 10, 9)).isTrue();
        assertThat(matches("Count|lt", 10, 10)).isFalse();
        assertThat(matches("Count|lte", 10, 10L)).isTrue();
        assertThat(matches("Count|lte", 10, 11L)).isFalse();
        assertThat(matches("Count|gt", 10, 11)).isTrue();
        assertThat(matches("Count|gt", 10, 10)).isFalse();
        assertThat(matches("Count|gte", 10, 10)).isTrue();
        assertThat(matches("Count|gte", 10, 9)).isFalse();
        assertThat(matches("Count|gt", -5, -4)).isTrue();
    }

    @Test
    void stringEventValuesAreReadAsNumbers() throws Exception {
        assertThat(matches("Count|gt", 100, "101")).isTrue();
        assertThat(matches("Count|gt", 100, "99")).isFalse();
        assertThat(matches("Count|gt", 100, "1e3")).isTrue();
        assertThat(matches("Count|gte", 4096, "0x1000")).isTrue();
        assertThat(matches("Count|lt", 1.5, "1.25")).isTrue();
    }

    @Test
    void nonNumericEventValuesDoNotMatch() throws Exception {
        assertThat(matches("Count|gt", 1, "many")).isFalse();
        assertThat(matches("Count|lt", 1, "")).isFalse();
        assertThat(matches("Count|lt", 1, true)).isFalse();
        assertThat(matches("Count|gt", 1, "12abc")).isFalse();
        assertThat(matches("Count|gt", 1, "NaN")).isFalse();
        assertThat(matches("Count|gt", 1, " 5")).isFalse();
    }

    @Test
    void fractionalAndStringOperands() throws Exception {
        assertThat(matches("Ratio|gt", 0.5, 0.75)).isTrue();
        assertThat(matches("Ratio|gt", 0.5, 1L)).isTrue();
        assertThat(matches("Ratio|gt", 0.5, 0.5)).isFalse();
        assertThat(matches("Count|gt", "10", 11)).isTrue();
        assertThat(matches("Count|lte", "0x10", 16)).isTrue();
    }

    @Test
    void largeLongsCompareExactly() throws Exception {
        assertThat(matches("Id|gt", 9007199254740992L, 9007199254740993L)).isTrue();
    }

    @Test
    void listsAndAll() throws Exception {
        assertThat(matches("Count|gt", List.of(100, 5), 6)).isTrue();
        assertThat(matches("Count|gt|all", List.of(100, 5), 6)).isFalse();
        assertThat(matches("Count|gt", 5, List.of(1L, 7L))).isTrue();
    }

    @Test
    void neqWithAComparisonNegatesIt() throws Exception {
        assertThat(matches("Count|gt|neq", 5, 4)).isTrue();
        assertThat(matches("Count|gt|neq", 5, 6)).isFalse();
    }

    @Test
    void nonNumericRuleValuesAndChainsAreRejected() {
        assertThatThrownBy(() -> compile("Count|gt", "ten"))
                .isInstanceOf(SigmaRuleException.class).hasMessage("value 'ten' of 'Count|gt' is not a number");
        assertThatThrownBy(() -> compile("Count|gt", true))
                .isInstanceOf(SigmaRuleException.class).hasMessage("value 'true' of 'Count|gt' is not a number");
        assertThatThrownBy(() -> compile("Count|gt|lt", 5))
                .isInstanceOf(SigmaRuleException.class).hasMessage("modifier 'lt' cannot be combined with 'gt' in 'Count|gt|lt'");
        assertThatThrownBy(() -> compile("Count|gt|contains", 5))
                .isInstanceOf(SigmaRuleException.class).hasMessage("modifier 'contains' cannot be combined with 'gt' in 'Count|gt|contains'");
        assertThatThrownBy(() -> compile("Count|gt|cased", 5))
                .isInstanceOf(SigmaRuleException.class).hasMessage("modifier 'cased' cannot be combined with 'gt' in 'Count|gt|cased'");
        assertThatThrownBy(() -> compile("Count|re|gt", 5))
                .isInstanceOf(SigmaRuleException.class).hasMessage("modifier 'gt' cannot be combined with 're' in 'Count|re|gt'");
    }
}
