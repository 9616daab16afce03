package dev.sigmacep.sigma.condition;

import dev.sigmacep.field.EventPredicate;
import dev.sigmacep.field.Predicates;
import dev.sigmacep.sigma.SigmaRuleException;
import dev.sigmacep.sigma.model.Condition;
import dev.sigmacep.testing.TestEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConditionParserTest {
    /** Builds conditions into predicates, as the detection compiler does (without its cheapest-first ordering). */
    private static final Condition.Algebra<EventPredicate> PREDICATES = new Condition.Algebra<>() {
        @Override
        public EventPredicate and(List<EventPredicate> operands) {
            return Predicates.and(operands);
        }

        @Override
        public EventPredicate or(List<EventPredicate> operands) {
            return Predicates.or(operands);
        }

        @Override
        public EventPredicate not(EventPredicate operand) {
            return Predicates.not(operand);
        }
    };

    private static EventPredicate parse(String condition, Map<String, EventPredicate> identifiers)
            throws SigmaRuleException {
        return ConditionParser.parse(condition, List.copyOf(identifiers.keySet())).fold(identifiers, PREDICATES);
    }

    /** Leaves are true when the event has the identifier's name set to true. */
    private static Map<String, EventPredicate> identifiers(String... names) {
        Map<String, EventPredicate> result = new LinkedHashMap<>();
        for (String name : names) {
            result.put(name, event -> Boolean.TRUE.equals(event.field(name)));
        }
        return result;
    }

    /** Checks the compiled condition against the expected boolean function on every assignment of the leaves. */
    private static void assertTruthTable(String condition, List<String> names, Predicate<boolean[]> expected)
            throws SigmaRuleException {
        EventPredicate compiled = parse(condition, identifiers(names.toArray(String[]::new)));
        for (int bits = 0; bits < 1 << names.size(); bits++) {
            boolean[] values = new boolean[names.size()];
            Map<String, Object> fields = new LinkedHashMap<>();
            for (int i = 0; i < names.size(); i++) {
                values[i] = (bits & 1 << i) != 0;
                fields.put(names.get(i), values[i]);
            }
            assertThat(compiled.test(new TestEvent(fields)))
                    .as("%s with %s", condition, fields)
                    .isEqualTo(expected.test(values));
        }
    }

    @Test
    void andBindsTighterThanOrAndNotTighterThanAnd() throws Exception {
        assertTruthTable("a or b and not c", List.of("a", "b", "c"), v -> v[0] || (v[1] && !v[2]));
        assertTruthTable("not a and b", List.of("a", "b"), v -> !v[0] && v[1]);
        assertTruthTable("a and b or c and d", List.of("a", "b", "c", "d"), v -> v[0] && v[1] || v[2] && v[3]);
        assertTruthTable("not not a", List.of("a"), v -> v[0]);
    }

    @Test
    void parenthesesOverridePrecedence() throws Exception {
        assertTruthTable("(a or b) and not c", List.of("a", "b", "c"), v -> (v[0] || v[1]) && !v[2]);
        assertTruthTable("not (a and b)", List.of("a", "b"), v -> !(v[0] && v[1]));
        assertTruthTable("((a))", List.of("a"), v -> v[0]);
        assertTruthTable("a and (b or (c and not a))", List.of("a", "b", "c"), v -> v[0] && (v[1] || v[2] && !v[0]));
    }

    @Test
    void oneOfAndAllOfPatterns() throws Exception {
        List<String> names = List.of("sel_a", "sel_b", "filter");
        assertTruthTable("1 of sel_*", names, v -> v[0] || v[1]);
        assertTruthTable("all of sel_*", names, v -> v[0] && v[1]);
        assertTruthTable("all of sel* and not 1 of filt*", names, v -> v[0] && v[1] && !v[2]);
        assertTruthTable("1 of *_b", names, v -> v[1]);
        assertTruthTable("any of sel_*", names, v -> v[0] || v[1]); // pySigma's synonym of '1 of'
        assertTruthTable("not 1 of sel_* or filter", names, v -> !(v[0] || v[1]) || v[2]);
    }

    @Test
    void themCoversEveryIdentifierExceptUnderscored() throws Exception {
        List<String> names = List.of("a", "b", "_x");
        assertTruthTable("1 of them", names, v -> v[0] || v[1]);
        assertTruthTable("all of them", names, v -> v[0] && v[1]);
        assertTruthTable("1 of *", names, v -> v[0] || v[1]);
        assertTruthTable("1 of _x*", names, v -> v[2]); // a pattern that asks for '_' gets it
        assertTruthTable("all of them and not _x", names, v -> v[0] && v[1] && !v[2]);
    }

    @Test
    void listConditionsAreAlternatives() throws Exception {
        EventPredicate compiled =
                ConditionParser.parseDetectionCondition(List.of("a and b", "c"), List.of("a", "b", "c"))
                        .fold(identifiers("a", "b", "c"), PREDICATES);
        assertThat(compiled.test(TestEvent.of("a", true, "b", true))).isTrue();
        assertThat(compiled.test(TestEvent.of("c", true))).isTrue();
        assertThat(compiled.test(TestEvent.of("a", true))).isFalse();
    }

    @Test
    void identifiersMayHoldDigitsDashesAndDots() throws Exception {
        assertTruthTable("sel-1 and sel.2", List.of("sel-1", "sel.2"), v -> v[0] && v[1]);
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "sel and unknown; references unknown search identifier 'unknown' at column 9",
            "sel AND sel; expected 'and' or 'or' but found 'AND' at column 5 (operators are lower case)",
            "NOT sel; references unknown search identifier 'NOT' at column 1 (operators are lower case)",
            "(sel and sel; has an unbalanced '(' at column 1: expected ')' but found end of condition",
            "sel and sel); has an unbalanced ')' at column 12",
            "sel and; ends after 'and': expected a search identifier, '(' or 'not'",
            "or sel; expected a search identifier at the start but found 'or' at column 1",
            "sel or or sel; expected a search identifier after 'or' but found 'or' at column 8",
            "not; ends after 'not': expected a search identifier, '(' or 'not'",
            "sel sel; expected 'and' or 'or' but found 'sel' at column 5",
            "(); expected a search identifier after '(' but found ')' at column 2",
            "sel | count() by host > 5; uses an aggregation expression ('| ...' at column 5), which Sigma 2 replaced by correlation rules",
            "2 of sel*; has '2 of' at column 1: only '1 of' (or 'any of') and 'all of' are Sigma",
            "none of sel*; has 'none of' at column 1: only '1 of' (or 'any of') and 'all of' are Sigma",
            "1 of; expected 'them' or a search identifier pattern after '1 of' but found end of condition",
            "1 of filter*; has '1 of filter*' at column 1, which matches no search identifier",
            "sel*; uses the pattern 'sel*' at column 1 outside '1 of'/'all of'",
            "sel && sel; has an unexpected character '&' at column 5",
            "sel near sel; expected 'and' or 'or' but found 'near' at column 5",
    })
    void malformedConditionsNameTheProblemAndPosition(String condition, String problem) {
        assertThatThrownBy(() -> parse(condition, identifiers("sel")))
                .isInstanceOf(SigmaRuleException.class)
                .hasMessage("condition '" + condition + "' " + problem);
    }

    @Test
    void emptyConditionIsRejected() {
        assertThatThrownBy(() -> parse("  ", identifiers("sel")))
                .hasMessage("condition '  ' is empty");
    }

    @Test
    void deepNestingIsRejectedNotAStackOverflow() throws Exception {
        String fine = "(".repeat(ConditionParser.MAX_DEPTH) + "sel" + ")".repeat(ConditionParser.MAX_DEPTH);
        assertThat(parse(fine, identifiers("sel")).test(TestEvent.of("sel", true))).isTrue();

        String deep = "(".repeat(100_000) + "sel" + ")".repeat(100_000);
        assertThatThrownBy(() -> parse(deep, identifiers("sel")))
                .hasMessageContaining("is nested deeper than 50 levels (at column 51)");
        String nots = "not ".repeat(100_000) + "sel";
        assertThatThrownBy(() -> parse(nots, identifiers("sel")))
                .hasMessageContaining("is nested deeper than 50 levels");
    }

    @Test
    void longFlatChainsStayShallow() throws Exception {
        String chain = String.join(" or ", Collections.nCopies(20_000, "sel"));
        EventPredicate compiled = parse(chain + " and not sel", identifiers("sel"));
        assertThat(compiled.test(TestEvent.of("sel", true))).isTrue();
        assertThat(compiled.test(TestEvent.of("sel", false))).isFalse();
    }

    @Test
    void globMatchesStarsAnywhere() {
        assertThat(ConditionParser.globMatches("sel*", "selection")).isTrue();
        assertThat(ConditionParser.globMatches("*tion", "selection")).isTrue();
        assertThat(ConditionParser.globMatches("s*l*n", "selection")).isTrue();
        assertThat(ConditionParser.globMatches("sel", "selection")).isFalse();
        assertThat(ConditionParser.globMatches("*x*", "selection")).isFalse();
    }
}
