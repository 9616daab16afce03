package dev.sigmacep.sigma.match;

import dev.sigmacep.field.EventPredicate;
import dev.sigmacep.field.FieldSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.sigmacep.sigma.match.TestEvent.compile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** Megabyte values and adversarial patterns finish in bounded (linear or near-linear) time. */
class LargeValueTest {
    private static final Duration BOUND = Duration.ofSeconds(10);
    private static final int MEGABYTE = 1 << 20;

    @Test
    void longSelfOverlappingNeedleInAMegabyteOfNearMatches() {
        String value = "a".repeat(MEGABYTE);
        String needle = "a".repeat(1000) + "b";
        assertTimeoutPreemptively(BOUND, () -> {
            EventPredicate contains = compile("CommandLine|contains", needle);
            assertThat(contains.test(TestEvent.of("CommandLine", value))).isFalse();
            assertThat(contains.test(TestEvent.of("CommandLine", value + "b"))).isTrue();
        });
    }

    @Test
    void patternWithManyWildcardsOnAMegabyteValue() {
        String value = "ab".repeat(MEGABYTE / 2);
        String pattern = "*a".repeat(2000) + "*c";
        assertTimeoutPreemptively(BOUND, () -> {
            EventPredicate manyStars = compile("CommandLine", pattern);
            assertThat(manyStars.test(TestEvent.of("CommandLine", value))).isFalse();
            assertThat(manyStars.test(TestEvent.of("CommandLine", value + "c"))).isTrue();
            EventPredicate manySingles = compile("CommandLine|contains", "a?".repeat(500) + "c");
            assertThat(manySingles.test(TestEvent.of("CommandLine", value))).isFalse();
        });
    }

    @Test
    void megabyteRuleValueCompilesAndMatches() {
        String value = "x".repeat(MEGABYTE);
        assertTimeoutPreemptively(BOUND, () -> {
            EventPredicate exact = compile("Payload", value);
            assertThat(exact.test(TestEvent.of("Payload", value.toUpperCase()))).isTrue();
            assertThat(exact.test(TestEvent.of("Payload", value + "y"))).isFalse();
            EventPredicate encoded = compile("Payload|wide|base64offset|contains", value);
            assertThat(encoded.test(TestEvent.of("Payload", "short"))).isFalse();
        });
    }

    @Test
    void regexOnAMegabyteValueIsLinear() {
        String value = "a".repeat(MEGABYTE);
        assertTimeoutPreemptively(BOUND, () -> {
            // catastrophic backtracking in a backtracking engine; linear in RE2/J
            EventPredicate nested = compile("CommandLine|re", "^(a+)+$");
            assertThat(nested.test(TestEvent.of("CommandLine", value + "!"))).isFalse();
            EventPredicate alternation = compile("CommandLine|re", "(a|aa)*b");
            assertThat(alternation.test(TestEvent.of("CommandLine", value))).isFalse();
        });
    }

    @Test
    void keywordSearchOverManyLargeFields() {
        FieldSource event = TestEvent.of("A", "q".repeat(MEGABYTE), "B", "r".repeat(MEGABYTE), "C", "needle");
        assertTimeoutPreemptively(BOUND, () -> {
            assertThat(compile("", "NEEDLE").test(event)).isTrue();
            assertThat(compile("", "q*r").test(event)).isFalse();
        });
    }
}
