package dev.sigmacep.sigma.compile;

import dev.sigmacep.field.EventPredicate;
import dev.sigmacep.sigma.SigmaRuleException;
import dev.sigmacep.sigma.load.DetectionParser;
import dev.sigmacep.sigma.match.MatchContext;
import dev.sigmacep.testing.TestEvent;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A detection's condition, parsed from its Sigma text and compiled (operands reordered, cheapest first), against direct
 * boolean evaluation of the tree the text was written from: random trees of {@code and}, {@code or}, {@code not},
 * {@code 1 of}/{@code all of} a pattern or {@code them}, over six search identifiers, each true or false by chance.
 * The text uses Sigma's precedence (not, then and, then or) with only the brackets it needs, or with all of them.
 */
class ConditionPropertiesTest {
    /** Identifiers in groups, so that patterns select a few: a*, b*, c*. */
    private static final List<String> IDENTIFIERS = List.of("a_one", "a_two", "a_three", "b_one", "b_two", "c_one");
    private static final List<String> PATTERNS = List.of("a_*", "b_*", "c_*", "them", "*_one");

    /** A condition as written, and what it means. */
    sealed interface Tree permits Id, Not, And, Or, OneOf, AllOf {
        boolean eval(Map<String, Boolean> truth);
    }

    record Id(String name) implements Tree {
        public boolean eval(Map<String, Boolean> truth) { return truth.get(name); }
    }

    record Not(Tree operand) implements Tree {
        public boolean eval(Map<String, Boolean> truth) { return !operand.eval(truth); }
    }

    record And(List<Tree> operands) implements Tree {
        public boolean eval(Map<String, Boolean> truth) { return operands.stream().allMatch(t -> t.eval(truth)); }
    }

    record Or(List<Tree> operands) implements Tree {
        public boolean eval(Map<String, Boolean> truth) { return operands.stream().anyMatch(t -> t.eval(truth)); }
    }

    record OneOf(String pattern) implements Tree {
        public boolean eval(Map<String, Boolean> truth) { return selected(pattern).stream().anyMatch(truth::get); }
    }

    record AllOf(String pattern) implements Tree {
        public boolean eval(Map<String, Boolean> truth) { return selected(pattern).stream().allMatch(truth::get); }
    }

    private static List<String> selected(String pattern) {
        if (pattern.equals("them")) return IDENTIFIERS;
        if (pattern.startsWith("*")) return IDENTIFIERS.stream().filter(id -> id.endsWith(pattern.substring(1))).toList();
        return IDENTIFIERS.stream().filter(id -> id.startsWith(pattern.substring(0, pattern.length() - 1))).toList();
    }

    /** Sigma text with only the brackets precedence needs ({@code all} false) or around every operation. */
    static String text(Tree tree, boolean all) {
        if (tree instanceof Id id) return id.name();
        if (tree instanceof OneOf one) return "1 of " + one.pattern();
        if (tree instanceof AllOf every) return "all of " + every.pattern();
        if (tree instanceof Not not) {
            boolean needed = not.operand() instanceof And || not.operand() instanceof Or;
            return "not " + operand(not.operand(), needed, all);
        }
        if (tree instanceof And and) {
            return and.operands().stream().map(t -> operand(t, t instanceof Or, all)).collect(Collectors.joining(" and "));
        }
        return ((Or) tree).operands().stream().map(t -> operand(t, false, all)).collect(Collectors.joining(" or "));
    }

    private static String operand(Tree tree, boolean needed, boolean all) {
        String text = text(tree, all);
        boolean operation = tree instanceof And || tree instanceof Or || tree instanceof Not;
        return needed || all && operation ? "(" + text + ")" : text;
    }

    @Provide
    Arbitrary<Tree> trees() {
        return tree(4);
    }

    private static Arbitrary<Tree> tree(int depth) {
        Arbitrary<Tree> leaf = Arbitraries.oneOf(
                Arbitraries.of(IDENTIFIERS).map(Id::new),
                Arbitraries.of(PATTERNS).map(OneOf::new),
                Arbitraries.of(PATTERNS).map(AllOf::new));
        if (depth == 0) return leaf;
        Arbitrary<Tree> smaller = Arbitraries.lazy(() -> tree(depth - 1));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, leaf),
                net.jqwik.api.Tuple.of(2, smaller.map(Not::new)),
                net.jqwik.api.Tuple.of(3, smaller.list().ofMinSize(2).ofMaxSize(4).map(And::new)),
                net.jqwik.api.Tuple.of(3, smaller.list().ofMinSize(2).ofMaxSize(4).map(Or::new)));
    }

    @Property(tries = 3000)
    void theCompiledConditionIsTheBooleanFormula(@ForAll("trees") Tree tree, @ForAll boolean allBrackets,
                                                 @ForAll @Size(6) List<Boolean> values) throws SigmaRuleException {
        Map<String, Boolean> truth = new LinkedHashMap<>();
        for (int i = 0; i < IDENTIFIERS.size(); i++) truth.put(IDENTIFIERS.get(i), values.get(i));
        String condition = text(tree, allBrackets);
        assertThat(compile(condition).test(event(truth))).as("%s with %s", condition, truth).isEqualTo(tree.eval(truth));
    }

    /** The comparison can fail: precedence and patterns are read as Sigma says, not left to right. */
    @Example
    void precedenceAndPatternsAsSigmaSays() throws SigmaRuleException {
        Map<String, Boolean> truth = new LinkedHashMap<>();
        IDENTIFIERS.forEach(id -> truth.put(id, false));
        truth.put("a_one", true);
        // left to right this would be (a_one or b_one) and b_two = false; Sigma's and binds tighter: true
        assertThat(compile("a_one or b_one and b_two").test(event(truth))).isTrue();
        assertThat(compile("not a_one or b_one").test(event(truth))).isFalse();
        assertThat(compile("1 of a_*").test(event(truth))).isTrue();
        assertThat(compile("all of a_*").test(event(truth))).isFalse();
        assertThat(compile("1 of *_one and not all of them").test(event(truth))).isTrue();
    }

    /** Each identifier searches its own field for {@code yes}; the event says yes where the identifier is true. */
    private static EventPredicate compile(String condition) throws SigmaRuleException {
        Map<String, Object> detection = new LinkedHashMap<>();
        for (String id : IDENTIFIERS) detection.put(id, Map.of("Field_" + id, "yes"));
        detection.put("condition", condition);
        return new DetectionCompiler(MatchContext.empty()).compile(DetectionParser.parse(detection));
    }

    private static TestEvent event(Map<String, Boolean> truth) {
        Object[] fields = new Object[2 * truth.size()];
        int i = 0;
        for (Map.Entry<String, Boolean> entry : truth.entrySet()) {
            fields[i++] = "Field_" + entry.getKey();
            fields[i++] = entry.getValue() ? "yes" : "no";
        }
        return TestEvent.of(fields);
    }
}
