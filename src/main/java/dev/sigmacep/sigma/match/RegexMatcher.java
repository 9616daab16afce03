package dev.sigmacep.sigma.match;

import dev.sigmacep.sigma.model.Modifier;
import dev.sigmacep.sigma.model.FieldSpec;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.sigmacep.sigma.SigmaRuleException;
import dev.sigmacep.sigma.text.KmpSearch;
import dev.sigmacep.sigma.text.RegexBounds;
import dev.sigmacep.sigma.text.RequiredLiteral;

import java.util.List;

/**
 * {@code re}: an RE2/J regular expression (linear time in the value length, whatever the pattern) searched
 * anywhere in the value, as Sigma regexes are unanchored; {@code ^} and {@code $} anchor explicitly. The pattern is
 * compiled as written: a construct RE2/J lacks rejects the rule rather than being rewritten into something else.
 * Allocates a matcher per call, unlike the string matchers, except for values that the required literals of the
 * regex already rule out; regexes are the rare path in the rule set, but some run on whole script blocks.
 */
final class RegexMatcher extends TextMatcher {
    private final Pattern pattern;
    /**
     * the literals every match contains in this order (see {@link RequiredLiteral#sequence}); a value without them in
     * order skips the regex. Empty when there are none or only one single character.
     */
    private final KmpSearch[] requiredLiterals;

    private RegexMatcher(Pattern pattern, List<String> requiredLiterals) {
        this.pattern = pattern;
        boolean worthSearching = requiredLiterals.size() > 1
                || requiredLiterals.size() == 1 && requiredLiterals.get(0).length() > 1;
        this.requiredLiterals = worthSearching
                ? requiredLiterals.stream().map(literal -> new KmpSearch(literal, false)).toArray(KmpSearch[]::new)
                : new KmpSearch[0];
    }

    /** Case-sensitive unless {@code i}; {@code m} makes ^/$ match at lines, {@code s} lets . match newlines. */
    static RegexMatcher compile(FieldSpec spec, String regex) throws SigmaRuleException {
        int flags = 0;
        if (spec.has(Modifier.I)) {
            flags |= Pattern.CASE_INSENSITIVE;
        }
        if (spec.has(Modifier.M)) {
            flags |= Pattern.MULTILINE;
        }
        if (spec.has(Modifier.S)) {
            flags |= Pattern.DOTALL;
        }
        String excess = RegexBounds.excess(regex); // RE2/J's compiler would overflow the stack or the heap
        if (excess != null) {
            throw new SigmaRuleException("regex in '" + spec.written() + "' " + excess);
        }
        try {
            return new RegexMatcher(Pattern.compile(regex, flags), RequiredLiteral.sequence(regex));
        } catch (PatternSyntaxException e) {
            throw new SigmaRuleException(reason(spec, e), e);
        }
    }

    /** Names the construct RE2/J stopped at; RE2/J reports the offending fragment of the pattern. */
    private static String reason(FieldSpec spec, PatternSyntaxException e) {
        String construct = unsupportedConstruct(e.getDescription(), e.getPattern());
        if (construct != null) {
            return "regex in '" + spec.written() + "' uses " + construct
                    + ", which the linear-time regex engine cannot run";
        }
        return "regex in '" + spec.written() + "' is invalid: " + e.getDescription() + ": `" + e.getPattern() + "`";
    }

    /** A PCRE construct that RE2/J does not implement, named for users, or null for a plain syntax error. */
    private static String unsupportedConstruct(String description, String fragment) {
        switch (description) {
            case "invalid escape sequence" -> {
                if (fragment.length() == 2 && Character.isDigit(fragment.charAt(1))) {
                    return "a back-reference (" + fragment + ")";
                }
                if (fragment.equals("\\k") || fragment.equals("\\g")) {
                    return "a named back-reference (" + fragment + ")";
                }
                return "the escape " + fragment;
            }
            case "invalid nested repetition operator" -> {
                return fragment.endsWith("+") ? "a possessive quantifier (" + fragment + ")" : null;
            }
            case "invalid named capture" -> {
                if (fragment.startsWith("(?<=")) {
                    return "a look-behind ((?<=...))";
                }
                return fragment.startsWith("(?<!") ? "a negative look-behind ((?<!...))" : null;
            }
            case "invalid or unsupported Perl syntax" -> {
                return perlGroup(fragment);
            }
            default -> {
                return null;
            }
        }
    }

    private static String perlGroup(String fragment) {
        if (fragment.startsWith("(?=")) {
            return "a look-ahead ((?=...))";
        }
        if (fragment.startsWith("(?!")) {
            return "a negative look-ahead ((?!...))";
        }
        if (fragment.startsWith("(?>")) {
            return "an atomic group ((?>...))";
        }
        if (fragment.startsWith("(?(")) {
            return "a conditional group ((?(...)...))";
        }
        if (fragment.startsWith("(?#")) {
            return "a comment group ((?#...))";
        }
        boolean recursion = fragment.startsWith("(?R") || fragment.startsWith("(?&") || fragment.startsWith("(?P>")
                || (fragment.length() > 2 && (Character.isDigit(fragment.charAt(2)) || fragment.charAt(2) == '+'));
        return recursion ? "a recursive or subroutine call (" + fragment + "...)" : null;
    }

    @Override
    boolean matchesText(String text) {
        int from = 0;
        for (KmpSearch literal : requiredLiterals) {
            int found = literal.find(text, from, text.length());
            if (found < 0) {
                return false;
            }
            from = found + literal.length();
        }
        return pattern.matcher(text).find();
    }
}
