package dev.sigmacep.sigma.match;

import dev.sigmacep.sigma.model.Modifier;
import dev.sigmacep.sigma.model.FieldSpec;
import dev.sigmacep.sigma.SigmaRuleException;
import dev.sigmacep.sigma.text.WildcardString;

import java.util.ArrayList;
import java.util.List;

/** Compiles one rule value into a matcher of event values, by the chain's value type. */
final class ValueCompiler {
    private ValueCompiler() {
    }

    static ValueMatcher compile(FieldSpec spec, Object value, MatchContext ctx) throws SigmaRuleException {
        if (spec.type() == null) {
            return compileStringPattern(spec, value, ctx);
        }
        if (spec.type() == Modifier.RE) {
            return RegexMatcher.compile(spec, RuleValues.text(value));
        }
        if (spec.type() == Modifier.CIDR) {
            return CidrMatcher.parse(spec, RuleValues.text(value));
        }
        // what remains: the numeric chains (exists and fieldref are whole-event predicates, see FieldMatchers)
        return NumericMatcher.compile(spec, value);
    }

    private static ValueMatcher compileStringPattern(FieldSpec spec, Object value, MatchContext ctx)
            throws SigmaRuleException {
        List<WildcardString> patterns = new ArrayList<>();
        if (value instanceof String written) {
            List<String> expanded = spec.has(Modifier.EXPAND) ? Placeholders.expand(spec, written, ctx) : List.of(written);
            for (String pattern : expanded) {
                patterns.add(WildcardString.parse(pattern));
            }
        } else {
            // only strings carry Sigma escapes and wildcards; numbers and booleans match their string form literally
            patterns.add(WildcardString.literal(RuleValues.text(value)));
        }
        boolean keywordAnywhere = spec.isKeyword() && spec.first(Modifier.Kind.POSITION) == null;
        return StringPatternCompiler.compile(spec, patterns, keywordAnywhere);
    }
}
