package dev.sigmacep.sigma.match;

import dev.sigmacep.sigma.SigmaRuleException;

import java.util.List;

/** Compiles one rule value into a matcher of event values, by the chain's value type. */
final class ValueCompiler {
    private ValueCompiler() {
    }

    static ValueMatcher compile(FieldSpec spec, Object value, MatchContext ctx) throws SigmaRuleException {
        if (spec.type() != null) {
            throw new SigmaRuleException("modifier '" + spec.type() + "' is not supported yet, in '" + spec.written() + "'");
        }
        return compileStringPattern(spec, value);
    }

    private static ValueMatcher compileStringPattern(FieldSpec spec, Object value) throws SigmaRuleException {
        // only strings carry Sigma escapes and wildcards; numbers and booleans match their string form literally
        WildcardString pattern = value instanceof String text
                ? WildcardString.parse(text)
                : WildcardString.literal(RuleValues.text(value));
        boolean keywordAnywhere = spec.isKeyword() && spec.first(Modifier.Kind.POSITION) == null;
        return StringPatternCompiler.compile(spec, List.of(pattern), keywordAnywhere);
    }
}
