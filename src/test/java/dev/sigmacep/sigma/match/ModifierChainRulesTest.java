package dev.sigmacep.sigma.match;

import dev.sigmacep.sigma.SigmaRuleException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Rejected detection entries and their reasons. */
class ModifierChainRulesTest {

    private static void assertRejected(String fieldSpec, Object value, String reason) {
        assertThatThrownBy(() -> TestEvent.compile(fieldSpec, value))
                .isInstanceOf(SigmaRuleException.class)
                .hasMessage(reason);
    }

    @Test
    void unknownModifier() {
        assertRejected("Image|foo", "x", "unknown modifier 'foo' in 'Image|foo'");
        assertRejected("Image|Contains", "x", "unknown modifier 'Contains' in 'Image|Contains'");
        assertRejected("Image|", "x", "unknown modifier '' in 'Image|'");
    }

    @Test
    void repeatedModifier() {
        assertRejected("Image|contains|contains", "x", "modifier 'contains' appears twice in 'Image|contains|contains'");
    }

    @Test
    void twoPositionModifiers() {
        assertRejected("Image|startswith|endswith", "x",
                "modifier 'endswith' cannot be combined with 'startswith' in 'Image|startswith|endswith'");
    }

    @Test
    void allNeedsAListOfValues() {
        assertRejected("CommandLine|contains|all", "x", "modifier 'all' in 'CommandLine|contains|all' needs a list of values");
        assertRejected("CommandLine|contains|all", List.of("x"),
                "modifier 'all' in 'CommandLine|contains|all' needs a list of two or more values");
    }

    @Test
    void nullCannotBeInAListNorTakeModifiers() {
        assertRejected("FieldB", java.util.Arrays.asList("", null), "null cannot be part of a list of values, in 'FieldB'");
        assertRejected("FieldB|contains", null, "modifier 'contains' cannot apply to the value null, in 'FieldB|contains'");
        assertRejected("", null, "a keyword search cannot look for null, in ''");
    }

    @Test
    void emptyListAndNonScalarValues() {
        assertRejected("Image", List.of(), "'Image' has an empty list of values");
        assertRejected("Image", java.util.Map.of("a", "b"), "values of 'Image' must be strings, numbers or booleans");
        assertRejected("Image", List.of(List.of("a")), "values of 'Image' must be strings, numbers or booleans");
    }
}
